using System.Formats.Tar;
using System.Text;
using Spiro.Core.Bundles;
using static Spiro.Core.Tests.Bundles.TarFactory;

namespace Spiro.Core.Tests.Bundles;

/// <summary>One malicious or malformed tar: how to build it and the exact rejection it must get.</summary>
internal sealed record BadBundle(Func<byte[]> Build, string Rule, string? Entry, BundleLimits? Limits = null);

/// <summary>The corpus: every rule of docs/bundles.md ("Reading untrusted bundles"), each built from literal entries or raw bytes.</summary>
internal static class MaliciousBundleCorpus
{
    private static readonly string LongPrefix = string.Join('/', Enumerable.Repeat(new string('d', 40), 4));

    public static readonly IReadOnlyDictionary<string, BadBundle> Cases = new Dictionary<string, BadBundle>
    {
        ["absolute-path"] = new(() => Tar(w => w.WriteEntry(File("/etc/cron.d/evil"))), BundleRules.AbsolutePath, "/etc/cron.d/evil"),
        ["dot-dot"] = new(() => Tar(w => w.WriteEntry(File("states/../../evil.sls"))), BundleRules.DotDot, "states/../../evil.sls"),
        ["dot-dot-after-dot-slash"] = new(() => Tar(w => w.WriteEntry(File("./../evil.sls"))), BundleRules.DotDot, "./../evil.sls"),
        ["backslash"] = new(() => Tar(w => w.WriteEntry(File("states\\..\\evil.sls"))), BundleRules.Backslash, "states\\..\\evil.sls"),
        ["nul-in-pax-name"] = new(() => Tar(w => w.WriteEntry(File("good.sls\0/../../evil"))), BundleRules.ControlChar, "good.sls\0/../../evil"),
        ["control-char"] = new(() => Tar(w => w.WriteEntry(File("bell\u0007.sls"))), BundleRules.ControlChar, "bell\u0007.sls"),
        ["newline-in-ustar-name"] = new(() => Tar(w => w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "two\nlines.sls")), TarEntryFormat.Ustar), BundleRules.ControlChar, "two\nlines.sls"),
        ["gnu-long-name-traversal"] = new(() => Tar(w => w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, LongPrefix + "/../../../../../etc/passwd")), TarEntryFormat.Gnu), BundleRules.DotDot, LongPrefix + "/../../../../../etc/passwd"),
        ["pax-long-name-traversal"] = new(() => Tar(w => w.WriteEntry(File(LongPrefix + "/../../../../../etc/passwd"))), BundleRules.DotDot, LongPrefix + "/../../../../../etc/passwd"),
        ["gnu-long-link-escape"] = new(() => Tar(w => w.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = LongPrefix + "/../../../../../../etc/shadow" }), TarEntryFormat.Gnu), BundleRules.LinkEscapes, "link"),
        ["symlink-escapes"] = new(() => Tar(w => w.WriteEntry(Symlink("web/passwd", "../../etc/passwd"))), BundleRules.LinkEscapes, "web/passwd"),
        ["symlink-absolute"] = new(() => Tar(w => w.WriteEntry(Symlink("passwd", "/etc/passwd"))), BundleRules.LinkEscapes, "passwd"),
        ["symlink-then-write-through"] = new(() => Tar(w => { w.WriteEntry(Symlink("out", "/tmp")); w.WriteEntry(File("out/evil")); }), BundleRules.LinkEscapes, "out"),
        ["hardlink-escapes"] = new(() => Tar(w => w.WriteEntry(Hardlink("shadow", "../etc/shadow"))), BundleRules.LinkEscapes, "shadow"),
        ["hardlink-absolute"] = new(() => Tar(w => w.WriteEntry(Hardlink("shadow", "/etc/shadow"))), BundleRules.LinkEscapes, "shadow"),
        ["symlink-to-directory"] = new(() => Tar(w => { w.WriteEntry(File("real/init.sls")); w.WriteEntry(Symlink("alias", "real")); }), BundleRules.LinkToDirectory, "alias"),
        ["symlink-to-root"] = new(() => Tar(w => w.WriteEntry(Symlink("sub/root", ".."))), BundleRules.LinkToDirectory, "sub/root"),
        ["symlink-cycle"] = new(() => Tar(w => { w.WriteEntry(Symlink("a", "b")); w.WriteEntry(Symlink("b", "a")); }), BundleRules.LinkCycle, "a"),
        ["symlink-to-itself"] = new(() => Tar(w => w.WriteEntry(Symlink("self", "self"))), BundleRules.LinkCycle, "self"),
        ["dangling-symlink"] = new(() => Tar(w => w.WriteEntry(Symlink("ghost", "missing.sls"))), BundleRules.DanglingLink, "ghost"),
        ["character-device"] = new(() => Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3 })), BundleRules.SpecialFile, "dev/null"),
        ["block-device"] = new(() => Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.BlockDevice, "dev/sda") { DeviceMajor = 8 })), BundleRules.SpecialFile, "dev/sda"),
        ["fifo"] = new(() => Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "pipe"))), BundleRules.SpecialFile, "pipe"),
        ["file-then-dir-below-it"] = new(() => Tar(w => { w.WriteEntry(File("web")); w.WriteEntry(File("web/init.sls")); }), BundleRules.PathCollision, "web/init.sls"),
        ["dir-then-file"] = new(() => Tar(w => { w.WriteEntry(Dir("web/")); w.WriteEntry(File("web")); }), BundleRules.PathCollision, "web"),
        ["file-then-dir"] = new(() => Tar(w => { w.WriteEntry(File("web")); w.WriteEntry(Dir("web")); }), BundleRules.PathCollision, "web"),
        ["duplicate-file"] = new(() => Tar(w => { w.WriteEntry(File("a/b.sls")); w.WriteEntry(File("a/b.sls", "other")); }), BundleRules.DuplicateEntry, "a/b.sls"),
        ["duplicate-after-dot"] = new(() => Tar(w => { w.WriteEntry(File("a/b.sls")); w.WriteEntry(File("a/./b.sls")); }), BundleRules.DuplicateEntry, "a/./b.sls"),
        ["duplicate-after-double-slash"] = new(() => Tar(w => { w.WriteEntry(File("a/b.sls")); w.WriteEntry(File("a//b.sls")); }), BundleRules.DuplicateEntry, "a//b.sls"),
        ["duplicate-directory"] = new(() => Tar(w => { w.WriteEntry(Dir("a/")); w.WriteEntry(Dir("./a")); }), BundleRules.DuplicateEntry, "./a"),
        ["too-many-entries"] = new(() => Tar(w => { for (var i = 0; i < 11; i++) { w.WriteEntry(File($"f{i}")); } }), BundleRules.TooManyEntries, "f10", new BundleLimits { MaxEntries = 10 }),
        ["total-too-large"] = new(() => Tar(w => { w.WriteEntry(File("f0", new byte[600])); w.WriteEntry(File("f1", new byte[600])); }), BundleRules.TotalTooLarge, "f1", new BundleLimits { MaxTotalBytes = 1000 }),
        ["links-copy-past-total"] = new(() => Tar(w => { w.WriteEntry(File("f0", new byte[600])); w.WriteEntry(Symlink("l0", "f0")); }), BundleRules.TotalTooLarge, "l0", new BundleLimits { MaxTotalBytes = 1000 }),
        ["file-too-large"] = new(() => Tar(w => w.WriteEntry(File("big", new byte[101]))), BundleRules.FileTooLarge, "big", new BundleLimits { MaxFileBytes = 100 }),
        ["path-too-long"] = new(() => Tar(w => w.WriteEntry(File(string.Join('/', Enumerable.Repeat(new string('p', 100), 11))))), BundleRules.PathTooLong, string.Join('/', Enumerable.Repeat(new string('p', 100), 11))),
        ["segment-too-long"] = new(() => Tar(w => w.WriteEntry(File(new string('s', 256)))), BundleRules.PathTooLong, new string('s', 256)),
        ["too-deep"] = new(() => Tar(w => w.WriteEntry(File(string.Join('/', Enumerable.Repeat("d", 65))))), BundleRules.TooDeep, string.Join('/', Enumerable.Repeat("d", 65))),
        ["truncated-mid-header"] = new(() => TwoFiles()[..(TwoFiles().Length - 1024 - 512 - 300)], BundleRules.Truncated, "a.sls"),
        ["truncated-mid-file"] = new(() => TwoFiles()[..1700], BundleRules.Truncated, "a.sls"),
        // TarReader itself takes a clean end of input at a header for the end of the archive; the reader must not.
        ["truncated-at-header-boundary"] = new(() => TwoFiles()[..(TwoFiles().Length - 1024)], BundleRules.Truncated, "b.sls"),
        // TarReader would read these metadata entries into memory whole; the data after the header never matters.
        ["huge-pax-header"] = new(() => [.. RawTar.Header("PaxHeaders/evil", 'x', 1_500_000_000), .. new byte[4096]], BundleRules.HeaderTooLarge, null),
        ["huge-pax-global-header"] = new(() => [.. RawTar.Header("GlobalHead", 'g', 1_500_000_000), .. new byte[4096]], BundleRules.HeaderTooLarge, null),
        ["huge-gnu-long-name"] = new(() => [.. RawTar.Header("././@LongLink", 'L', 1_500_000_000), .. new byte[4096]], BundleRules.HeaderTooLarge, null),
        ["huge-header-after-file"] = new(() => [.. TwoFiles()[..2560], .. RawTar.Header("././@LongLink", 'K', 2_000_000), .. new byte[4096]], BundleRules.HeaderTooLarge, "a.sls"),
        // The PAX size record says the file has 600 bytes although its header says 0, and the content looks like
        // a header claiming 1 GiB: a guard that read the header's size instead of following TarReader would skip the bomb.
        ["huge-header-hidden-by-pax-size"] = new(() =>
        [
            .. RawTar.Header("PaxHeaders/f", 'x', RawTar.PaxData(("size", "600")).Length),
            .. RawTar.Padded(RawTar.PaxData(("size", "600"))),
            .. RawTar.Header("f.sls", '0', 0),
            .. RawTar.Padded([.. RawTar.Header("decoy", '0', 1L << 30), .. Encoding.ASCII.GetBytes(new string('f', 88))]),
            .. RawTar.Header("PaxHeaders/g", 'x', 1_500_000_000),
            .. new byte[4096],
        ], BundleRules.HeaderTooLarge, "f.sls"),
        // One header may imply many directories: they count against the entry limit too.
        ["too-many-implied-directories"] = new(() => Tar(w => { for (var i = 0; i < 3; i++) { w.WriteEntry(File($"n{i}/a/a/a/f")); } }), BundleRules.TooManyEntries, "n2/a/a/a/f", new BundleLimits { MaxEntries = 10 }),
        ["case-collision"] = new(() => Tar(w => { w.WriteEntry(File("Init.sls")); w.WriteEntry(File("init.sls")); }), BundleRules.CaseCollision, "init.sls"),
        ["case-collision-of-implied-directories"] = new(() => Tar(w => { w.WriteEntry(File("Web/a.sls")); w.WriteEntry(File("web/b.sls")); }), BundleRules.CaseCollision, "web/b.sls"),
        ["normalisation-collision"] = new(() => Tar(w => { w.WriteEntry(File("caf\u00e9.sls")); w.WriteEntry(File("cafe\u0301.sls")); }), BundleRules.CaseCollision, "cafe\u0301.sls"),
        // A GNU sparse entry is named by its own rejection; a size past a long is a broken header after a.sls.
        ["gnu-sparse-entry"] = new(() => [.. TwoFiles()[..2560], .. RawTar.Header("sparse", 'S', 512), .. new byte[512], .. RawTar.End()], BundleRules.UnsupportedType, "sparse"),
        ["base256-size-past-long"] = new(() => [.. TwoFiles()[..2560], .. RawTar.Header("huge", '0', [0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), .. RawTar.End()], BundleRules.NotTar, "a.sls"),
        // Fits a long (but not once rounded up to whole blocks): the size limit must catch it before anything adds to it.
        ["base256-size-near-long-max"] = new(() => [.. TwoFiles()[..2560], .. RawTar.Header("huge", '0', [0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), .. RawTar.End()], BundleRules.FileTooLarge, "huge"),
        ["garbage"] = new(() => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not a tar archive. ", 200))), BundleRules.NotTar, null),
        ["garbage-after-valid-entry"] = new(() => [.. TwoFiles()[..2560], .. Encoding.ASCII.GetBytes(new string('?', 1024))], BundleRules.NotTar, "a.sls"),
    };

    /// <summary>
    /// PAX: a.sls (1000 bytes) then b.sls (10 bytes), non-zero content so a cut is never mistaken
    /// for the end marker: 5632 bytes, a.sls ends at 2560, b.sls at 4608, then 1024 zero bytes.
    /// </summary>
    private static byte[] TwoFiles() => Tar(w =>
    {
        w.WriteEntry(File("a.sls", new string('a', 1000)));
        w.WriteEntry(File("b.sls", new string('b', 10)));
    });
}
