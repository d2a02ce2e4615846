using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Objects;

namespace Spiro.Core.Releases.Collection;

/// <summary>
/// Removes objects that no manifest references. Runs under the objects lock taken exclusive:
/// publishes hold it shared from adopting objects until their manifest is in place, so an
/// object is never collected between being adopted and being referenced.
/// </summary>
internal sealed class GarbageCollector(StoreLayout layout, ObjectStore objects)
{
    public GcResult.Collected Collect(bool dryRun)
    {
        var referenced = ReferencedObjects();
        var doomed = new List<string>();
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(layout.Objects, "*", SearchOption.AllDirectories))
        {
            if (referenced.Contains(file))
            {
                continue;
            }

            var info = new FileInfo(file);
            bytes += info.Exists ? info.Length : 0;
            doomed.Add(Path.GetRelativePath(layout.Root, file));
            if (!dryRun)
            {
                File.Delete(file);
            }
        }

        doomed.Sort(StringComparer.Ordinal);
        return new GcResult.Collected(doomed, bytes, dryRun);
    }

    private HashSet<string> ReferencedObjects()
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var manifestPath in Directory.EnumerateFiles(layout.Manifests, "*.json"))
        {
            ReleaseManifest manifest;
            try
            {
                manifest = ManifestJson.Read(manifestPath);
            }
            catch (FileNotFoundException)
            {
                continue; // removed by retention in another process meanwhile
            }

            foreach (var entry in manifest.Entries)
            {
                if (entry.Kind == EntryKind.File && entry.Sha256 is not null)
                {
                    referenced.Add(objects.PathFor(entry.Sha256, entry.Executable));
                }
            }
        }

        return referenced;
    }
}
