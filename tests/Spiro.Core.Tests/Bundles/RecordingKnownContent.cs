using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Tests.Bundles;

/// <summary>
/// Known content kept as real files named sha256[.x] in one directory, linked with link(2);
/// records every question so a test can tell which files the reader asked about and which it wrote.
/// </summary>
internal sealed class RecordingKnownContent(string root) : IKnownContent
{
    private readonly Lock _gate = new();

    public string Root { get; } = root;

    public List<string> Linked { get; } = [];

    public List<string> Missed { get; } = [];

    public string PathFor(string sha256, bool executable) => Path.Combine(Root, sha256 + (executable ? ".x" : ""));

    /// <summary>Remembers every file of <paramref name="tree"/> under its sha256 (and exec bit), as the store's objects do.</summary>
    public void Learn(string tree, IEnumerable<ManifestEntry> entries)
    {
        Directory.CreateDirectory(Root);
        foreach (var entry in entries.Where(e => e.Kind == EntryKind.File))
        {
            var known = PathFor(entry.Sha256!, entry.Executable);
            if (!File.Exists(known))
            {
                File.Copy(Path.Combine(tree, entry.Path), known);
            }
        }
    }

    public bool TryLinkExisting(string sha256, bool executable, StagedFile destination)
    {
        var destinationPath = destination.FullPath;
        var linked = Posix.Link(PathFor(sha256, executable), destinationPath) == 0;
        // The bundle reader's two writer threads ask at once.
        lock (_gate)
        {
            (linked ? Linked : Missed).Add(destinationPath);
        }

        return linked;
    }

    /// <summary>Always asked: these tests count which files the reader asks about.</summary>
    public bool MayHoldAny() => true;

    /// <summary>Never adopts: the files the reader writes stay its own, as the tests expect to find them.</summary>
    public bool TryAdopt(StagedFile stagedFile, string sha256, bool executable) => false;
}
