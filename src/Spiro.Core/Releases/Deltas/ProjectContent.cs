using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// The contents one project's kept releases hold (sha256 and exec bit, with their size): what a
/// negotiated upload of that project may reuse. Objects of other projects are never answered as
/// present, so a token learns nothing about content it has not deployed itself.
/// </summary>
internal static class ProjectContent
{
    public static Dictionary<(string Sha256, bool Executable), long> Of(StoreServices store, string project)
    {
        var contents = new Dictionary<(string, bool), long>();
        foreach (var release in store.Repository.AllActive())
        {
            if (!string.Equals(release.SaltEnv.Project, project, StringComparison.Ordinal))
            {
                continue;
            }

            ReleaseManifest manifest;
            try
            {
                manifest = ManifestJson.Read(store.Layout.Manifest(release.Id));
            }
            catch (FileNotFoundException)
            {
                continue; // removed by retention meanwhile
            }

            foreach (var entry in manifest.Entries)
            {
                if (entry.Kind == EntryKind.File && entry.Sha256 is not null)
                {
                    contents[(entry.Sha256, entry.Executable)] = entry.Size;
                }
            }
        }

        return contents;
    }
}
