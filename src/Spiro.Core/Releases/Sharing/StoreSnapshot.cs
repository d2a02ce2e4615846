using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// What a single master's data directory serves, read for moving it into a cluster
/// (<c>spiro cluster import</c>, docs/cluster.md): every saltenv's live release (its <c>envs/</c>
/// symlink, the source of truth for "live") and every manifest it keeps (kept releases and plan
/// candidates), each as the exact text its publish wrote, with the objects it names.
/// </summary>
public sealed class StoreSnapshot
{
    private readonly StoreLayout _layout;

    private StoreSnapshot(StoreLayout layout, IReadOnlyList<LivePointer> live, IReadOnlyList<SnapshotManifest> manifests)
    {
        _layout = layout;
        Live = live;
        Manifests = manifests;
    }

    /// <summary>Every saltenv with a live release, by name.</summary>
    public IReadOnlyList<LivePointer> Live { get; }

    /// <summary>Every manifest in <c>manifests/</c>, by release id.</summary>
    public IReadOnlyList<SnapshotManifest> Manifests { get; }

    /// <summary>
    /// Reads <paramref name="dataDirectory"/>; throws <see cref="InvalidDataException"/> naming the
    /// file when a manifest cannot be read or does not name the release its file is named after.
    /// </summary>
    public static StoreSnapshot Read(string dataDirectory)
    {
        var layout = new StoreLayout(dataDirectory);
        var live = layout.LivePointers().Select(p => new LivePointer(p.SaltEnv.ToString(), p.ReleaseId)).ToList();
        var manifests = new List<SnapshotManifest>();
        IEnumerable<string> files = Directory.Exists(layout.Manifests) ? Directory.EnumerateFiles(layout.Manifests, "*.json").Order(StringComparer.Ordinal) : [];
        foreach (var path in files)
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!ReleaseId.IsValid(id))
            {
                continue;
            }

            var text = File.ReadAllText(path);
            var manifest = ManifestJson.Parse(text, path);
            if (manifest.Release != id)
            {
                throw new InvalidDataException($"{path} names release {manifest.Release}, not {id}");
            }

            var objects = manifest.Entries.Where(e => e.Kind == EntryKind.File && e.Sha256 is not null).Select(e => e.Sha256!).Distinct(StringComparer.Ordinal).ToList();
            manifests.Add(new SnapshotManifest(id, manifest.SaltEnv.ToString(), text, objects));
        }

        return new StoreSnapshot(layout, live, manifests);
    }

    /// <summary>Whether the data directory's <c>objects/</c> holds content <paramref name="sha256"/> (either exec variant).</summary>
    public bool HasObject(string sha256)
    {
        var objects = new Objects.ObjectStore(_layout);
        return File.Exists(objects.PathFor(sha256, executable: false)) || File.Exists(objects.PathFor(sha256, executable: true));
    }
}

/// <summary>A saltenv's live release in a data directory.</summary>
public sealed record LivePointer(string SaltEnv, string ReleaseId);

/// <summary>A kept manifest: its release, saltenv, exact text and the distinct sha256 of its files.</summary>
public sealed record SnapshotManifest(string ReleaseId, string SaltEnv, string Text, IReadOnlyList<string> Objects);
