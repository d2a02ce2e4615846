using System.Formats.Tar;
using System.Text;
using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

/// <summary>The bundle's own tar parser: the formats real writers produce, and every bound it keeps.</summary>
public sealed class TarStreamReaderTests
{
    private static readonly string LongName = string.Join('/', Enumerable.Repeat(new string('n', 60), 3)) + "/init.sls";

    private static async Task<BundleReadResult> ExtractAsync(byte[] tar, Stream? input = null)
    {
        using var dir = new TestDirectory();
        return await new BundleReader().ExtractAsync(input ?? new MemoryStream(tar), dir.Staging, CancellationToken.None);
    }

    private static BundleReadResult.Rejected AssertRejected(BundleReadResult result, string rule, string? entry)
    {
        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(rule, rejected.Rule);
        Assert.Equal(entry, rejected.Entry);
        Assert.EndsWith($"(rule {rule})", rejected.Message);
        return rejected;
    }

    [Theory]
    [InlineData(TarEntryFormat.Ustar)] // the name prefix field
    [InlineData(TarEntryFormat.Gnu)] // an 'L' long-name entry
    [InlineData(TarEntryFormat.Pax)] // a PAX path record
    public async Task Extract_WithANameLongerThanTheHeaderField_ReadsTheWholeName(TarEntryFormat format)
    {
        var tar = TarFactory.Tar(w =>
        {
            TarEntry entry = format switch
            {
                TarEntryFormat.Ustar => new UstarTarEntry(TarEntryType.RegularFile, LongName),
                TarEntryFormat.Gnu => new GnuTarEntry(TarEntryType.RegularFile, LongName),
                _ => new PaxTarEntry(TarEntryType.RegularFile, LongName),
            };
            entry.DataStream = new MemoryStream("a: b\n"u8.ToArray());
            w.WriteEntry(entry);
        }, format);

        var accepted = Assert.IsType<BundleReadResult.Accepted>(await ExtractAsync(tar));

        var file = Assert.Single(accepted.Entries, e => e.Kind == EntryKind.File);
        Assert.Equal(LongName, file.Path);
        Assert.Equal(5, file.Size);
    }

    [Fact]
    public async Task Extract_WithAGnuLongLinkTarget_ReadsTheWholeTarget()
    {
        var tar = TarFactory.Tar(w =>
        {
            w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, LongName) { DataStream = new MemoryStream("x"u8.ToArray()) });
            w.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "alias.sls") { LinkName = LongName });
        }, TarEntryFormat.Gnu);

        var accepted = Assert.IsType<BundleReadResult.Accepted>(await ExtractAsync(tar));

        Assert.Equal(1, Assert.Single(accepted.Entries, e => e.Path == "alias.sls").Size);
    }

    [Fact]
    public async Task Extract_ReadInTinyPieces_GivesTheSameManifestAsInOneRead()
    {
        var content = new byte[300_000];
        new Random(7).NextBytes(content);
        var tar = TarFactory.Tar(w =>
        {
            w.WriteEntry(TarFactory.File("small.sls", "a: 1\n"));
            w.WriteEntry(TarFactory.File("big.bin", content));
            w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, LongName) { DataStream = new MemoryStream(content[..1000]) });
        });

        var whole = Assert.IsType<BundleReadResult.Accepted>(await ExtractAsync(tar));
        var pieces = Assert.IsType<BundleReadResult.Accepted>(await ExtractAsync(tar, new TrickleStream(tar, 7)));

        Assert.Equal(whole.Entries, pieces.Entries);
        Assert.Equal(3, whole.Entries.Count(e => e.Kind == EntryKind.File));
    }

    [Fact]
    public async Task Extract_WithACorruptHeaderChecksum_IsRejectedAsNotTarAfterThePreviousEntry()
    {
        var tar = TarFactory.Tar(w =>
        {
            w.WriteEntry(Ustar("a.sls", "x"));
            w.WriteEntry(Ustar("b.sls", "x"));
        }, TarEntryFormat.Ustar);
        tar[512 + 512 + 5] ^= 0x01; // one bit of b.sls's name

        var rejected = AssertRejected(await ExtractAsync(tar), BundleRules.NotTar, "a.sls");

        Assert.Contains("checksum", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_WithASignedByteChecksum_IsAccepted()
    {
        var header = RawTar.Header("caf\u00e9.sls", '0', 1);
        Encoding.UTF8.GetBytes("caf\u00e9.sls").CopyTo(header, 0);
        var signed = 0;
        for (var i = 0; i < 512; i++)
        {
            signed += i is >= 148 and < 156 ? ' ' : (sbyte)header[i];
        }

        Encoding.ASCII.GetBytes(Convert.ToString(signed, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);

        var accepted = Assert.IsType<BundleReadResult.Accepted>(await ExtractAsync([.. header, .. RawTar.Padded("x"u8.ToArray()), .. RawTar.End()]));

        Assert.Equal("caf\u00e9.sls", Assert.Single(accepted.Entries).Path);
    }

    [Fact]
    public async Task Extract_WithMoreMetadataHeadersInARowThanTheBound_IsRejectedAsBadHeader()
    {
        var name = Encoding.ASCII.GetBytes("x.sls\0");
        var longNames = Enumerable.Range(0, TarStreamReader.MaxMetadataRun + 1)
            .SelectMany(_ => (byte[])[.. RawTar.Header("././@LongLink", 'L', name.Length), .. RawTar.Padded(name)]);

        var result = await ExtractAsync([.. longNames, .. RawTar.Header("x", '0', 0), .. RawTar.End()]);

        AssertRejected(result, BundleRules.BadHeader, null);
    }

    [Fact]
    public async Task Extract_WithAPaxSparseFile_IsRejectedAsUnsupported()
    {
        var pax = RawTar.PaxData(("GNU.sparse.major", "1"), ("GNU.sparse.name", "big.bin"));

        var result = await ExtractAsync([.. RawTar.Header("PaxHeaders/big", 'x', pax.Length), .. RawTar.Padded(pax), .. RawTar.Header("big.bin", '0', 0), .. RawTar.End()]);

        AssertRejected(result, BundleRules.UnsupportedType, null);
    }

    [Fact]
    public async Task Extract_WithANewlineInsideAPaxPath_ReadsTheRecordByItsLengthAndRejectsTheName()
    {
        var pax = RawTar.PaxData(("path", "two\nlines.sls"));

        var result = await ExtractAsync([.. RawTar.Header("PaxHeaders/x", 'x', pax.Length), .. RawTar.Padded(pax), .. RawTar.Header("x", '0', 0), .. RawTar.End()]);

        AssertRejected(result, BundleRules.ControlChar, "two\nlines.sls");
    }

    [Theory]
    [InlineData("4 a=\n")] // shorter than the record
    [InlineData("30 path=a\n")] // longer than the data
    [InlineData("10 path=ab")] // not ending in a newline
    [InlineData("x path=a\n")]
    [InlineData("6 =ab\n")]
    public async Task Extract_WithAMalformedPaxRecord_IsRejectedAsBadHeader(string records)
    {
        var pax = Encoding.ASCII.GetBytes(records);

        var result = await ExtractAsync([.. RawTar.Header("PaxHeaders/x", 'x', pax.Length), .. RawTar.Padded(pax), .. RawTar.Header("x", '0', 0), .. RawTar.End()]);

        AssertRejected(result, BundleRules.BadHeader, null);
    }

    [Fact]
    public async Task Extract_EndingInsideAMetadataEntry_IsRejectedAsTruncatedAfterThePreviousEntry()
    {
        var tar = TarFactory.Tar(w =>
        {
            w.WriteEntry(TarFactory.File("a.sls"));
            w.WriteEntry(TarFactory.File(LongName));
        });

        // a.sls: PAX header, its records, header, data (2048 bytes); then LongName's PAX header and half its records.
        var result = await ExtractAsync(tar[..(2048 + 512 + 100)]);

        AssertRejected(result, BundleRules.Truncated, "a.sls");
    }

    [Fact]
    public async Task Extract_WithAZeroBlockRightAfterAMetadataHeader_IsRejectedAsTruncated()
    {
        var pax = RawTar.PaxData(("path", "a.sls"));

        var result = await ExtractAsync([.. RawTar.Header("PaxHeaders/a", 'x', pax.Length), .. RawTar.Padded(pax), .. RawTar.End()]);

        AssertRejected(result, BundleRules.Truncated, null);
    }

    [Fact]
    public async Task Extract_EndingInsideAFilesPadding_IsRejectedAsTruncatedNamingTheFile()
    {
        var tar = TarFactory.Tar(w => w.WriteEntry(Ustar("a.sls", "abc")), TarEntryFormat.Ustar);

        var result = await ExtractAsync(tar[..(512 + 100)]);

        AssertRejected(result, BundleRules.Truncated, "a.sls");
    }

    private static UstarTarEntry Ustar(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    /// <summary>Hands out at most a few bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(piece, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }
}
