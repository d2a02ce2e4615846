using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Tests.Releases;

public sealed class ManifestEntriesTests
{
    [Fact]
    public void Normalise_AddsParentsSortsOrdinallyAndMarksChildlessDirectoriesEmpty()
    {
        var entries = ManifestEntries.Normalise(
        [
            new ManifestEntry("b/c/d.sls", EntryKind.File, 3, false, "aa"),
            new ManifestEntry("B.sls", EntryKind.File, 1, true, "bb"),
            new ManifestEntry("e", EntryKind.Directory, 0, true, null),
            new ManifestEntry("b/x", EntryKind.EmptyDirectory, 0, true, null),
        ]);

        Assert.Equal(
            ["B.sls File", "b Directory", "b/c Directory", "b/c/d.sls File", "b/x EmptyDirectory", "e EmptyDirectory"],
            entries.Select(e => $"{e.Path} {e.Kind}"));
    }
}
