using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

public sealed class BundleTreeTests
{
    [Fact]
    public void Manifest_ListsImpliedParentsAsDirectoriesAndEmptyOnesSeparately()
    {
        var tree = new BundleTree();
        Assert.Null(tree.Add("b/c/file", "b/c/file", NodeKind.File, null));
        Assert.Null(tree.Add("a/empty/", "a/empty", NodeKind.Directory, null));
        Assert.Null(tree.Add("b/", "b", NodeKind.Directory, null));

        var manifest = tree.Manifest();

        Assert.Equal(
            [("a", EntryKind.Directory), ("a/empty", EntryKind.EmptyDirectory), ("b", EntryKind.Directory), ("b/c", EntryKind.Directory), ("b/c/file", EntryKind.File)],
            manifest.Select(e => (e.Path, e.Kind)));
    }

    [Fact]
    public void Add_WithDirectoryAfterItsFiles_IsNotADuplicate()
    {
        var tree = new BundleTree();
        Assert.Null(tree.Add("web/init.sls", "web/init.sls", NodeKind.File, null));

        Assert.Null(tree.Add("web/", "web", NodeKind.Directory, null));
        Assert.Equal(BundleRules.DuplicateEntry, tree.Add("./web", "web", NodeKind.Directory, null)!.Rule);
    }

    [Fact]
    public void ResolveLink_FollowsChainsToTheFile()
    {
        var tree = new BundleTree();
        tree.Add("l1", "l1", NodeKind.Symlink, "l2");
        tree.Add("l2", "l2", NodeKind.Hardlink, "dir/file");
        tree.Add("dir/file", "dir/file", NodeKind.File, null);

        var (file, rejection) = tree.ResolveLink("l1");

        Assert.Equal("dir/file", file);
        Assert.Null(rejection);
    }

    [Fact]
    public void ResolveLink_ToDirectory_IsRejected()
    {
        var tree = new BundleTree();
        tree.Add("dir/file", "dir/file", NodeKind.File, null);
        tree.Add("ld", "ld", NodeKind.Symlink, "dir");

        Assert.Equal(BundleRules.LinkToDirectory, tree.ResolveLink("ld").Rejection?.Rule);
    }
}
