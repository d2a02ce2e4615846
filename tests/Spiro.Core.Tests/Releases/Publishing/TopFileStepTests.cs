using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Publishing;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Tests.Releases.Publishing;

public sealed class TopFileStepTests
{
    [Fact]
    public void Apply_WithAGeneratedTop_ListsItInOrderSoNormalisedEntriesStayNormalised()
    {
        var tree = Directory.CreateTempSubdirectory("spiro-topstep-").FullName;
        try
        {
            IReadOnlyList<ManifestEntry> entries = ManifestEntries.Normalise(
            [
                new("spirotop.sls", EntryKind.File, 3, false, new string('a', 64)),
                new("top", EntryKind.Directory, 0, true, null),
                new("top.sls.old", EntryKind.File, 1, false, new string('b', 64)),
                new("top/x.sls", EntryKind.File, 1, false, new string('c', 64)),
                new("a.sls", EntryKind.File, 1, false, new string('d', 64)),
            ]);

            var applied = TopFileStep.Apply(new TopFileResult.Generated("top.sls", "base: {}\n", false), tree, entries);

            Assert.Equal(ManifestEntries.Normalise(applied.Entries), applied.Entries);
            Assert.Equal(["a.sls", "spirotop.sls", "top", "top.sls", "top.sls.old", "top/x.sls"], applied.Entries.Select(e => e.Path));
            Assert.Equal(TopKind.Generated, applied.Top);
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }
}
