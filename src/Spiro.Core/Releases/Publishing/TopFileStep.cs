using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Releases.Publishing;

/// <summary>
/// Applies the top-file decision to a staged tree: writes a generated top file and lists it in the
/// entries, at its place in their ordinal order (a normalised list stays normalised: the top file
/// is at the root, so it needs no parent entry).
/// </summary>
internal static class TopFileStep
{
    private static readonly Comparer<ManifestEntry> PathOrder = Comparer<ManifestEntry>.Create((a, b) => string.CompareOrdinal(a.Path, b.Path));

    public static TopApplied Apply(TopFileResult result, string tree, IReadOnlyList<ManifestEntry> entries)
    {
        switch (result)
        {
            case TopFileResult.Invalid invalid:
                return new TopApplied(entries, TopKind.None, $"{invalid.File}:{invalid.Line}:{invalid.Column}: {invalid.Message}");
            case TopFileResult.Generated generated when CaseTwin(entries, generated.FileName) is { } twin:
                return new TopApplied(entries, TopKind.None, $"'{TarEntryRules.Printable(twin)}' and the generated {generated.FileName} differ only in case: a minion caching the saltenv on macOS or Windows would merge them (rule {BundleRules.CaseCollision})");
            case TopFileResult.Generated generated:
                var bytes = Encoding.UTF8.GetBytes(generated.Content);
                // CreateNew: staged files may be hard links to shared objects, and root ignores 0444, so never
                // open an existing path for writing.
                var path = Path.Combine(tree, generated.FileName);
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    file.Write(bytes);
                }

                // Objects adopt staged files with the mode they have (see ObjectStore.Adopt).
                DurableFs.SetMode(path, DurableFs.ReadOnlyFile);

                var entry = new ManifestEntry(generated.FileName, EntryKind.File, bytes.Length, false, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                var withTop = entries.Where(e => !string.Equals(e.Path, generated.FileName, StringComparison.Ordinal)).ToList();
                var at = withTop.BinarySearch(entry, PathOrder);
                withTop.Insert(at < 0 ? ~at : at, entry);
                return new TopApplied(withTop, TopKind.Generated, null) { Jinja = generated.FromJinja };
            case TopFileResult.Kept kept:
                return new TopApplied(entries, TopKind.Kept, null) { Jinja = kept.FromJinja };
            default:
                return new TopApplied(entries, TopKind.None, null);
        }
    }

    /// <summary>A bundle path other than <paramref name="name"/> itself that folds to the same key (TOP.sls next to a generated top.sls).</summary>
    private static string? CaseTwin(IReadOnlyList<ManifestEntry> entries, string name)
    {
        var key = PathFold.Fold(name);
        return entries.FirstOrDefault(e => !string.Equals(e.Path, name, StringComparison.Ordinal) && FoldsTo(e.Path, key))?.Path;
    }

    /// <summary>An ASCII path folds to its upper case, so it is compared without building the fold (one string per entry saved).</summary>
    private static bool FoldsTo(string path, string key) =>
        Ascii.IsValid(path) && Ascii.IsValid(key)
            ? string.Equals(path, key, StringComparison.OrdinalIgnoreCase)
            : string.Equals(PathFold.Fold(path), key, StringComparison.Ordinal);
}
