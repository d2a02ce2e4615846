using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Manifests;

/// <summary>Puts entries in the contract's shape: sorted ordinally, every parent listed as <c>dir</c>, childless directories as <c>emptydir</c>.</summary>
internal static class ManifestEntries
{
    public static IReadOnlyList<ManifestEntry> Normalise(IEnumerable<ManifestEntry> entries)
    {
        var files = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var path = entry.Path.Trim('/');
            if (path.Length == 0)
            {
                continue;
            }

            if (entry.Kind == EntryKind.File)
            {
                files[path] = entry with { Path = path };
            }
            else
            {
                directories.Add(path);
            }

            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                directories.Add(path[..slash]);
            }
        }

        var withChildren = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in files.Keys.Concat(directories))
        {
            var slash = path.LastIndexOf('/');
            if (slash > 0)
            {
                withChildren.Add(path[..slash]);
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
