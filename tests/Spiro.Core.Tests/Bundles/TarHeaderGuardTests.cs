using System.Formats.Tar;
using System.Text;
using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

public sealed class TarHeaderGuardTests
{
    [Theory]
    [InlineData("00000001750\0", 1000L)]
    [InlineData("  1750 \0\0\0\0\0", 1000L)]
    [InlineData("\0\0\0\0\0\0\0\0\0\0\0\0", 0L)]
    public void ParseSize_ReadsOctalFields(string field, long expected)
    {
        Assert.Equal(expected, TarHeaderGuard.ParseSize(Encoding.ASCII.GetBytes(field)));
    }

    [Fact]
    public void ParseSize_ReadsGnuBase256Fields()
    {
        byte[] field = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x01];

        Assert.Equal(0x020001L, TarHeaderGuard.ParseSize(field));
    }

    [Fact]
    public void PaxSize_FindsTheSizeRecordAmongOthers()
    {
        var data = RawTar.PaxData(("path", "a/b"), ("size", "12345"), ("mtime", "1.5"));

        Assert.Equal(12345L, TarHeaderGuard.PaxSize(data));
        Assert.Null(TarHeaderGuard.PaxSize(RawTar.PaxData(("path", "size=1"))));
    }

    [Fact]
    public void Feed_WithMetadataAtTheLimit_AcceptsAndOneByteMoreRejects()
    {
        new TarHeaderGuard(1024).Feed(RawTar.Header("PaxHeaders/x", 'x', 1024));

        var e = Assert.Throws<BundleRejectedException>(() => new TarHeaderGuard(1024).Feed(RawTar.Header("PaxHeaders/x", 'x', 1025)));
        Assert.Equal(BundleRules.HeaderTooLarge, e.Rule);
    }

    [Fact]
    public void Feed_FollowsFileDataInOddChunks()
    {
        var tar = TarFactory.Tar(w =>
        {
            w.WriteEntry(TarFactory.File("a", new byte[700]));
            w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, new string('n', 300)));
        }, TarEntryFormat.Gnu);
        var guard = new TarHeaderGuard(200);

        // The GNU long name (301 bytes with its NUL) sits behind 700 bytes of data: only a guard that stays in step sees it.
        var e = Assert.Throws<BundleRejectedException>(() =>
        {
            for (var i = 0; i < tar.Length; i += 7)
            {
                guard.Feed(tar.AsSpan(i, Math.Min(7, tar.Length - i)));
            }
        });
        Assert.Equal(BundleRules.HeaderTooLarge, e.Rule);
    }

    [Fact]
    public async Task Extract_WithPaxSizeOverridingTheHeader_ReadsTheFileAsTarReaderDoes()
    {
        using var dir = new TestDirectory();
        byte[] tar =
        [
            .. RawTar.Header("PaxHeaders/f", 'x', RawTar.PaxData(("size", "600")).Length),
            .. RawTar.Padded(RawTar.PaxData(("size", "600"))),
            .. RawTar.Header("f.sls", '0', 0),
            .. RawTar.Padded(Encoding.ASCII.GetBytes(new string('f', 600))),
            .. RawTar.End(),
        ];

        var result = await new BundleReader().ExtractAsync(new MemoryStream(tar), dir.Staging, CancellationToken.None);

        var accepted = Assert.IsType<BundleReadResult.Accepted>(result);
        Assert.Equal(600, Assert.Single(accepted.Entries).Size);
    }

    [Theory]
    [InlineData("14 size= 1536\n")]
    [InlineData("14 size=+1536\n")]
    [InlineData("14 size=1536 \n")]
    public async Task Extract_WithPaxSizeTarReaderReadsLooselyHidingAHugeHeader_IsRejectedAsBadHeader(string record)
    {
        // TarReader gives 'a' 1536 bytes; a guard that read 0 would take a's first (zero) block for the
        // end of the archive and never see the metadata header after a's data.
        using var dir = new TestDirectory();
        var pax = Encoding.ASCII.GetBytes(record);
        byte[] tar =
        [
            .. RawTar.Header("PaxHeaders/a", 'x', pax.Length),
            .. RawTar.Padded(pax),
            .. RawTar.Header("a", '0', 0),
            .. new byte[512],
            .. Encoding.ASCII.GetBytes(new string('a', 1024)),
            .. RawTar.Header("PaxHeaders/b", 'x', 200_000_000),
            .. new byte[4096],
        ];

        var result = await new BundleReader().ExtractAsync(new MemoryStream(tar), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.BadHeader, rejected.Rule);
        Assert.False(Directory.Exists(dir.Staging));
    }

    [Theory]
    [InlineData("11 size=12\n11 size=13\n")]
    [InlineData("12 size=12\n")]
    [InlineData("10 size=12\n")]
    [InlineData("12 path=abc")]
    [InlineData("11 sizeabc\n")]
    [InlineData("29 size=99999999999999999999\n")]
    [InlineData("8 size=\n")]
    [InlineData("9 size=-\n")]
    public void PaxSize_WithAnythingTarReaderCouldReadDifferently_Rejects(string records)
    {
        var e = Assert.Throws<BundleRejectedException>(() => TarHeaderGuard.PaxSize(Encoding.ASCII.GetBytes(records)));

        Assert.Equal(BundleRules.BadHeader, e.Rule);
    }

    [Fact]
    public void Feed_WithNonZeroBytesAfterAZeroBlock_Rejects()
    {
        var guard = new TarHeaderGuard(1024);
        guard.Feed(new byte[512]);
        guard.Feed(new byte[700]);

        var e = Assert.Throws<BundleRejectedException>(() => guard.Feed(RawTar.Header("PaxHeaders/x", 'x', 1L << 30)));
        Assert.Equal(BundleRules.BadHeader, e.Rule);
    }
}
