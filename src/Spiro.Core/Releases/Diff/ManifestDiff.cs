using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Diff;

/// <summary>Which files two releases' manifests add, remove or change. Pure: compares paths, sha256 and the executable bit.</summary>
public static class ManifestDiff
{
    /// <summary>The differing files, ordered by path (ordinal); directories are not listed.</summary>
    /// <param name="before">The older release's entries (empty for the first release).</param>
    /// <param name="after">The newer release's entries.</param>
    public static IReadOnlyList<FileChange> Compare(IReadOnlyList<ManifestEntry> before, IReadOnlyList<ManifestEntry> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = Files(before);
        var now = Files(after);
        var changes = new List<FileChange>();
        foreach (var (path, entry) in now)
        {
            if (!old.TryGetValue(path, out var previous))
            {
                changes.Add(new FileChange(path, FileChangeKind.Added, null, entry));
            }
            else if (previous.Sha256 != entry.Sha256 || previous.Executable != entry.Executable)
            {
                changes.Add(new FileChange(path, FileChangeKind.Changed, previous, entry));
            }
        }

        changes.AddRange(old.Where(pair => !now.ContainsKey(pair.Key)).Select(pair => new FileChange(pair.Key, FileChangeKind.Removed, pair.Value, null)));
        changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return changes;
    }

    private static Dictionary<string, ManifestEntry> Files(IReadOnlyList<ManifestEntry> entries) =>
        entries.Where(e => e.Kind == EntryKind.File).ToDictionary(e => e.Path, StringComparer.Ordinal);
}
