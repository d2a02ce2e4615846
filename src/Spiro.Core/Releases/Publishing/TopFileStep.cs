using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Releases.Publishing;

/// <summary>Applies the top-file decision to a staged tree: writes a generated top file and lists it in the entries.</summary>
internal static class TopFileStep
{
    public static TopApplied Apply(TopFileResult result, string tree, IReadOnlyList<ManifestEntry> entries)
    {
        switch (result)
        {
            case TopFileResult.Invalid invalid:
                return new TopApplied(entries, TopKind.None, $"{invalid.File}:{invalid.Line}:{invalid.Column}: {invalid.Message}");
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
                var withTop = entries.Where(e => !string.Equals(e.Path, generated.FileName, StringComparison.Ordinal)).Append(entry).ToList();
                return new TopApplied(withTop, TopKind.Generated, null);
            case TopFileResult.Kept:
                return new TopApplied(entries, TopKind.Kept, null);
            default:
                return new TopApplied(entries, TopKind.None, null);
        }
    }
}
