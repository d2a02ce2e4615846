using System.Formats.Tar;
using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

public sealed class TarEntryRulesTests
{
    private static readonly BundleLimits Limits = new();

    [Theory]
    [InlineData("top.sls", "top.sls")]
    [InlineData("./web/init.sls", "web/init.sls")]
    [InlineData("web//init.sls", "web/init.sls")]
    [InlineData("web/./init.sls", "web/init.sls")]
    [InlineData("états/café.sls", "états/café.sls")]
    [InlineData("a/...", "a/...")]
    [InlineData("..hidden", "..hidden")]
    public void Check_WithSafeFileName_AcceptsNormalisedPath(string name, string path)
    {
        var verdict = TarEntryRules.Check(name, TarEntryType.RegularFile, null, Limits);

        Assert.Equal(new EntryVerdict.Accept(path, NodeKind.File, null), verdict);
    }

    [Theory]
    [InlineData(".", TarEntryType.Directory)]
    [InlineData("./", TarEntryType.Directory)]
    [InlineData("pax_global_header", TarEntryType.GlobalExtendedAttributes)]
    public void Check_WithRootDirectoryOrGlobalHeader_Skips(string name, TarEntryType type)
    {
        Assert.IsType<EntryVerdict.Skip>(TarEntryRules.Check(name, type, null, Limits));
    }

    [Theory]
    [InlineData("/etc/passwd", TarEntryType.RegularFile, null, BundleRules.AbsolutePath)]
    [InlineData("a/../../b", TarEntryType.RegularFile, null, BundleRules.DotDot)]
    [InlineData("..", TarEntryType.Directory, null, BundleRules.DotDot)]
    [InlineData("a\\b", TarEntryType.RegularFile, null, BundleRules.Backslash)]
    [InlineData("a\0b", TarEntryType.RegularFile, null, BundleRules.ControlChar)]
    [InlineData("a\u001bb", TarEntryType.RegularFile, null, BundleRules.ControlChar)]
    [InlineData("a\u007fb", TarEntryType.RegularFile, null, BundleRules.ControlChar)]
    [InlineData("", TarEntryType.RegularFile, null, BundleRules.EmptyName)]
    [InlineData("./", TarEntryType.RegularFile, null, BundleRules.EmptyName)]
    [InlineData("null", TarEntryType.CharacterDevice, null, BundleRules.SpecialFile)]
    [InlineData("sda", TarEntryType.BlockDevice, null, BundleRules.SpecialFile)]
    [InlineData("fifo", TarEntryType.Fifo, null, BundleRules.SpecialFile)]
    [InlineData("vol", TarEntryType.TapeVolume, null, BundleRules.UnsupportedType)]
    [InlineData("link", TarEntryType.SymbolicLink, "../outside", BundleRules.LinkEscapes)]
    [InlineData("a/b/link", TarEntryType.SymbolicLink, "../../../outside", BundleRules.LinkEscapes)]
    [InlineData("link", TarEntryType.SymbolicLink, "/etc/passwd", BundleRules.LinkEscapes)]
    [InlineData("link", TarEntryType.SymbolicLink, "a\\b", BundleRules.Backslash)]
    [InlineData("link", TarEntryType.SymbolicLink, "", BundleRules.DanglingLink)]
    [InlineData("a/link", TarEntryType.SymbolicLink, "..", BundleRules.LinkToDirectory)]
    [InlineData("hard", TarEntryType.HardLink, "../x", BundleRules.LinkEscapes)]
    [InlineData("hard", TarEntryType.HardLink, "/x", BundleRules.LinkEscapes)]
    public void Check_WithUnsafeEntry_RejectsWithRule(string name, TarEntryType type, string? link, string rule)
    {
        var verdict = TarEntryRules.Check(name, type, link, Limits);

        var reject = Assert.IsType<EntryVerdict.Reject>(verdict);
        Assert.Equal(rule, reject.Rule);
        Assert.EndsWith($"(rule {rule})", reject.Message);
        Assert.DoesNotContain('\0', reject.Message);
    }

    [Theory]
    [InlineData("a/b/link", "c", "a/b/c")]
    [InlineData("a/b/link", "../c", "a/c")]
    [InlineData("a/b/link", "./../../c", "c")]
    [InlineData("link", "sub/./file", "sub/file")]
    public void Check_WithSymlinkInsideBundle_ResolvesFromItsDirectory(string name, string target, string resolved)
    {
        var verdict = TarEntryRules.Check(name, TarEntryType.SymbolicLink, target, Limits);

        Assert.Equal(new EntryVerdict.Accept(name, NodeKind.Symlink, resolved), verdict);
    }

    [Fact]
    public void Check_WithHardlink_ResolvesFromBundleRoot()
    {
        var verdict = TarEntryRules.Check("a/b/hard", TarEntryType.HardLink, "c/file", Limits);

        Assert.Equal(new EntryVerdict.Accept("a/b/hard", NodeKind.Hardlink, "c/file"), verdict);
    }

    [Fact]
    public void Check_AtPathAndDepthLimits_AcceptsAndOneMoreRejects()
    {
        var limits = new BundleLimits { MaxPathBytes = 9, MaxDepth = 3 };

        Assert.IsType<EntryVerdict.Accept>(TarEntryRules.Check("a/b/cdefg", TarEntryType.RegularFile, null, limits));
        Assert.Equal(BundleRules.PathTooLong, Assert.IsType<EntryVerdict.Reject>(TarEntryRules.Check("a/b/cdefgh", TarEntryType.RegularFile, null, limits)).Rule);
        Assert.Equal(BundleRules.TooDeep, Assert.IsType<EntryVerdict.Reject>(TarEntryRules.Check("a/b/c/d", TarEntryType.RegularFile, null, limits)).Rule);
    }

    [Fact]
    public void Check_WithMultiByteName_CountsUtf8Bytes()
    {
        var limits = new BundleLimits { MaxPathBytes = 5 };

        Assert.Equal(BundleRules.PathTooLong, Assert.IsType<EntryVerdict.Reject>(TarEntryRules.Check("ééé", TarEntryType.RegularFile, null, limits)).Rule);
    }

    [Fact]
    public void Check_WithV7DirectoryMarkedBySlash_IsDirectory()
    {
        Assert.Equal(new EntryVerdict.Accept("web", NodeKind.Directory, null), TarEntryRules.Check("web/", TarEntryType.V7RegularFile, null, Limits));
    }
}
