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

    [Theory]
    [InlineData("caf\u00e9.sls", "CAFE\u0301.sls")]
    [InlineData("\u00c5ngstr\u00f6m", "A\u030angstro\u0308m")]
    [InlineData("\u212b", "\u00e5")] // ANGSTROM SIGN decomposes to A with ring
    [InlineData("\ud55c", "\u1112\u1161\u11ab")] // Hangul syllable and its jamo
    [InlineData("q\u0307\u0323", "q\u0323\u0307")] // marks in either order
    public void Fold_GivesCanonicallyEquivalentOrCaseVariantPathsOneKey(string a, string b)
    {
        Assert.Equal(PathFold.Fold(a), PathFold.Fold(b));
    }

    [Fact]
    public void Fold_KeepsDifferentLettersApart()
    {
        Assert.NotEqual(PathFold.Fold("caf\u00e9.sls"), PathFold.Fold("cafe.sls"));
        Assert.NotEqual(PathFold.Fold("a/b"), PathFold.Fold("a/c"));
    }
}
