using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// The contents one project's kept releases hold (sha256 and exec bit, with their size): what a
/// negotiated upload of that project may reuse. Objects of other projects are never answered as
/// present, so a token learns nothing about content it has not deployed itself.
/// A manifest never changes once written, so each release's files are parsed once and kept
/// (up to <see cref="MaxCachedFiles"/> files over all releases): a plan and its upload, and the
/// next deploy's plan, read only the manifests that are new since.
/// </summary>
internal sealed class ProjectContent
{
    /// <summary>Files kept over all cached releases (about 200 bytes each).</summary>
    internal const int MaxCachedFiles = 200_000;

    private readonly Dictionary<string, List<(string Sha256, bool Executable, long Size)>> _byRelease = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private int _cachedFiles;

    public Dictionary<(string Sha256, bool Executable), long> Of(StoreServices store, string project)
    {
        var contents = new Dictionary<(string, bool), long>();
        foreach (var release in store.Repository.AllActive())
        {
            if (!string.Equals(release.SaltEnv.Project, project, StringComparison.Ordinal)
                || FilesOf(store, release.Id) is not { } files)
            {
                continue;
            }

            foreach (var (sha256, executable, size) in files)
            {
                contents[(sha256, executable)] = size;
            }
        }

        return contents;
    }

    private List<(string, bool, long)>? FilesOf(StoreServices store, string releaseId)
    {
        lock (_byRelease)
        {
            if (_byRelease.TryGetValue(releaseId, out var cached))
            {
                return cached;
            }
        }

        ReleaseManifest manifest;
        try
        {
            manifest = ManifestJson.Read(store.Layout.Manifest(releaseId));
        }
        catch (FileNotFoundException)
        {
            return null; // removed by retention meanwhile
        }

        var files = new List<(string, bool, long)>();
        foreach (var entry in manifest.Entries)
        {
            if (entry.Kind == EntryKind.File && entry.Sha256 is not null)
            {
                files.Add((entry.Sha256, entry.Executable, entry.Size));
            }
        }

        Remember(releaseId, files);
        return files;
    }

    private void Remember(string releaseId, List<(string, bool, long)> files)
    {
        lock (_byRelease)
        {
            if (files.Count > MaxCachedFiles || !_byRelease.TryAdd(releaseId, files))
            {
                return;
            }

            _order.Enqueue(releaseId);
            _cachedFiles += files.Count;
            while (_cachedFiles > MaxCachedFiles && _order.TryDequeue(out var oldest))
            {
                _cachedFiles -= _byRelease[oldest].Count;
                _byRelease.Remove(oldest);
            }
        }
    }
}
