using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Manifests;

/// <summary>Puts entries in the contract's shape: sorted ordinally, every parent listed as <c>dir</c>, childless directories as <c>emptydir</c>.</summary>
internal static class ManifestEntries
{
    public static IReadOnlyList<ManifestEntry> Normalise(IEnumerable<ManifestEntry> entries)
    {
        var files = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        // Parents are looked up by span, so a file in a known directory costs no string per ancestor.
        var directoryLookup = directories.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var entry in entries)
        {
            var path = entry.Path.Trim('/');
            if (path.Length == 0)
            {
                continue;
            }

            if (entry.Kind == EntryKind.File)
            {
                files[path] = ReferenceEquals(path, entry.Path) ? entry : entry with { Path = path };
            }
            else
            {
                directories.Add(path);
            }

            // Every ancestor of a listed directory is listed already: stop at the first known one.
            for (var slash = path.LastIndexOf('/'); slash > 0 && directoryLookup.Add(path.AsSpan(0, slash)); slash = path.LastIndexOf('/', slash - 1))
            {
            }
        }

        var withChildren = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in files.Keys.Concat(directories))
        {
            var slash = path.LastIndexOf('/');
            if (slash > 0 && directoryLookup.TryGetValue(path.AsSpan(0, slash), out var parent))
            {
                withChildren.Add(parent);
            }
        }

        var result = new List<ManifestEntry>(files.Values);
        foreach (var directory in directories)
        {
            var kind = withChildren.Contains(directory) ? EntryKind.Directory : EntryKind.EmptyDirectory;
            result.Add(new ManifestEntry(directory, kind, 0, true, null));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return result;
    }
}
