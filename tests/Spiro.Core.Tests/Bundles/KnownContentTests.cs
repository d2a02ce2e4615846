using System.Formats.Tar;
using Spiro.Core.Bundles;
using Spiro.Core.Tests.Releases;
using static Spiro.Core.Tests.Bundles.TarFactory;

namespace Spiro.Core.Tests.Bundles;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KnownContentTests
{
    private const UnixFileMode Rwxr_xr_x = (UnixFileMode)0b111_101_101;

    private static readonly byte[] Big = CreateBig();

    private static byte[] CreateBig()
    {
        var bytes = new byte[BundleExtraction.SmallFileBytes + 1];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Bundle(string changed) => Tar(w =>
    {
        w.WriteEntry(File("a.sls", "a: unchanged\n"));
        w.WriteEntry(File("b.sls", changed));
        w.WriteEntry(File("bin/run.sh", "#!/bin/sh\n", Rwxr_xr_x));
        w.WriteEntry(File("big.bin", Big));
        w.WriteEntry(File("empty.sls", ""));
        w.WriteEntry(Symlink("alias.sls", "a.sls"));
        w.WriteEntry(Hardlink("again.sh", "bin/run.sh"));
        w.WriteEntry(File(".gitcommit", "0123abcd\n"));
    });

    private static async Task<BundleReadResult.Accepted> ExtractAsync(byte[] tar, string staging, IKnownContent? known, BundleFormat format = BundleFormat.Tar)
    {
        var reader = known is null ? new BundleReader() : new BundleReader(new BundleLimits(), known);
        return Assert.IsType<BundleReadResult.Accepted>(await reader.ExtractAsync(new MemoryStream(Compress(tar, format)), staging, CancellationToken.None));
    }

    [Theory]
    [InlineData(BundleFormat.Tar)]
    [InlineData(BundleFormat.Zstd)]
    public async Task Extract_WithKnownContent_LinksKnownSmallFilesWritesTheRestAndRecordsTheSameManifest(BundleFormat format)
    {
        using var dir = new TestDirectory();
        var known = new RecordingKnownContent(Path.Combine(dir.Root, "known"));
        var first = await ExtractAsync(Bundle("b: v1\n"), Path.Combine(dir.Root, "first"), null, format);
        known.Learn(Path.Combine(dir.Root, "first"), first.Entries);

        var plain = await ExtractAsync(Bundle("b: v2\n"), Path.Combine(dir.Root, "plain"), null, format);
        var linked = await ExtractAsync(Bundle("b: v2\n"), dir.Staging, known, format);

        Assert.Equal(plain.Entries, linked.Entries);
        Assert.Equal(plain.TotalBytes, linked.TotalBytes);
        Assert.Equal(plain.GitCommit, linked.GitCommit);
        // Only b.sls was new; the big file streams without asking, the empty one is created at the end.
        Assert.Equal([Path.Combine(dir.Staging, "b.sls")], known.Missed);
        Assert.Equal(
            [".gitcommit", "a.sls", "again.sh", "alias.sls", "bin/run.sh"],
            known.Linked.Select(p => Path.GetRelativePath(dir.Staging, p)).Order(StringComparer.Ordinal));
        foreach (var entry in linked.Entries.Where(e => e.Kind == EntryKind.File))
        {
            var staged = Path.Combine(dir.Staging, entry.Path);
            Assert.Equal(await System.IO.File.ReadAllBytesAsync(Path.Combine(dir.Root, "plain", entry.Path)), await System.IO.File.ReadAllBytesAsync(staged));
            Assert.Equal(System.IO.File.GetUnixFileMode(Path.Combine(dir.Root, "plain", entry.Path)), System.IO.File.GetUnixFileMode(staged));
        }

        Assert.Equal(StoreFixture.Stat(known.PathFor(first.Entries.Single(e => e.Path == "a.sls").Sha256!, false)).Inode, StoreFixture.Stat(Path.Combine(dir.Staging, "a.sls")).Inode);
        Assert.NotEqual(StoreFixture.Stat(Path.Combine(dir.Root, "first", "big.bin")).Inode, StoreFixture.Stat(Path.Combine(dir.Staging, "big.bin")).Inode);
    }

    [Fact]
    public async Task Extract_FileOfExactlyTheSmallFileLimit_IsAskedAndOneByteMoreIsNot()
    {
        using var dir = new TestDirectory();
        var known = new RecordingKnownContent(Path.Combine(dir.Root, "known"));
        var tar = Tar(w =>
        {
            w.WriteEntry(File("at-limit.bin", Big[..BundleExtraction.SmallFileBytes]));
            w.WriteEntry(File("past-limit.bin", Big));
        });

        var accepted = await ExtractAsync(tar, dir.Staging, known);

        Assert.Equal([Path.Combine(dir.Staging, "at-limit.bin")], known.Missed);
        Assert.Equal(Big, await System.IO.File.ReadAllBytesAsync(Path.Combine(dir.Staging, "past-limit.bin")));
        Assert.Equal(Big[..BundleExtraction.SmallFileBytes], await System.IO.File.ReadAllBytesAsync(Path.Combine(dir.Staging, "at-limit.bin")));
        Assert.Equal([BundleExtraction.SmallFileBytes, BundleExtraction.SmallFileBytes + 1], accepted.Entries.Select(e => e.Size));
    }

    [Fact]
    public async Task Extract_RejectedAfterLinkingKnownFiles_RemovesStagingAndLeavesKnownContentAlone()
    {
        using var dir = new TestDirectory();
        var known = new RecordingKnownContent(Path.Combine(dir.Root, "known"));
        var first = await ExtractAsync(Bundle("b: v1\n"), Path.Combine(dir.Root, "first"), null);
        known.Learn(Path.Combine(dir.Root, "first"), first.Entries);
        var before = Directory.GetFiles(known.Root).Select(f => (f, StoreFixture.Stat(f), System.IO.File.ReadAllText(f))).ToList();
        var tar = Tar(w =>
        {
            w.WriteEntry(File("a.sls", "a: unchanged\n"));
            w.WriteEntry(File("bin/run.sh", "#!/bin/sh\n", Rwxr_xr_x));
            w.WriteEntry(File("../escape.sls", "x"));
        });

        var result = await new BundleReader(new BundleLimits(), known).ExtractAsync(new MemoryStream(tar), dir.Staging, CancellationToken.None);

        Assert.Equal(BundleRules.DotDot, Assert.IsType<BundleReadResult.Rejected>(result).Rule);
        Assert.Equal(2, known.Linked.Count);
        Assert.False(Directory.Exists(dir.Staging));
        Assert.Equal(before, Directory.GetFiles(known.Root).Select(f => (f, StoreFixture.Stat(f), System.IO.File.ReadAllText(f))).ToList());
    }

    public static TheoryData<string> Corpus() => [.. MaliciousBundleCorpus.Cases.Keys];

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Extract_MaliciousBundleThroughTheBufferedPath_IsRejectedTheSameWay(string caseName)
    {
        var bad = MaliciousBundleCorpus.Cases[caseName];
        using var dir = new TestDirectory();
        var known = new RecordingKnownContent(Path.Combine(dir.Root, "known"));

        var result = await new BundleReader(bad.Limits ?? new BundleLimits(), known).ExtractAsync(new MemoryStream(bad.Build()), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(bad.Rule, rejected.Rule);
        Assert.Equal(bad.Entry, rejected.Entry);
        Assert.False(Directory.Exists(dir.Staging));
        Assert.Empty(dir.Leftovers());
    }
}
