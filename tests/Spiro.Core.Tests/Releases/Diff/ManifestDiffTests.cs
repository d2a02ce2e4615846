using Spiro.Core.Bundles;
using Spiro.Core.Releases.Diff;

namespace Spiro.Core.Tests.Releases.Diff;

public sealed class ManifestDiffTests
{
    private static ManifestEntry File(string path, string sha, bool executable = false) => new(path, EntryKind.File, 10, executable, sha);

    private static ManifestEntry Dir(string path) => new(path, EntryKind.Directory, 0, false, null);

    [Fact]
    public void Compare_ListsAddedRemovedAndChangedFiles_ByPath_AndIgnoresDirectories()
    {
        var before = new[] { Dir("web"), File("web/init.sls", "aa"), File("web/old.sls", "bb"), File("run.sh", "cc"), File("same.sls", "dd") };
        var after = new[] { Dir("web"), File("web/init.sls", "a2"), File("web/new.sls", "ee"), File("run.sh", "cc", executable: true), File("same.sls", "dd"), Dir("empty") };

        var changes = ManifestDiff.Compare(before, after);

        Assert.Equal(
            [("run.sh", FileChangeKind.Changed), ("web/init.sls", FileChangeKind.Changed), ("web/new.sls", FileChangeKind.Added), ("web/old.sls", FileChangeKind.Removed)],
            changes.Select(c => (c.Path, c.Kind)));
        Assert.Null(changes.Single(c => c.Kind == FileChangeKind.Added).Before);
        Assert.Null(changes.Single(c => c.Kind == FileChangeKind.Removed).After);
    }

    [Fact]
    public void Compare_AgainstNothing_AddsEveryFile()
    {
        var changes = ManifestDiff.Compare([], [File("a", "1"), Dir("d"), File("d/b", "2")]);
        Assert.All(changes, c => Assert.Equal(FileChangeKind.Added, c.Kind));
        Assert.Equal(2, changes.Count);
    }
}
