using Spiro.Core.Bundles;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Spiro.Core.Tests.Bundles;

public sealed class MaliciousBundleTests
{
    public static TheoryData<string, BundleFormat> Corpus()
    {
        var data = new TheoryData<string, BundleFormat>();
        foreach (var name in MaliciousBundleCorpus.Cases.Keys)
        {
            foreach (var format in Enum.GetValues<BundleFormat>())
            {
                data.Add(name, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Extract_WithMaliciousBundle_IsRejectedWithRuleAndEntryAndNothingLeftBehind(string caseName, BundleFormat format)
    {
        var bad = MaliciousBundleCorpus.Cases[caseName];
        using var dir = new TestDirectory();
        var bytes = TarFactory.Compress(bad.Build(), format);

        var result = await new BundleReader(bad.Limits ?? new BundleLimits()).ExtractAsync(new MemoryStream(bytes), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(bad.Rule, rejected.Rule);
        Assert.Equal(bad.Entry, rejected.Entry);
        Assert.EndsWith($"(rule {bad.Rule})", rejected.Message);
        Assert.DoesNotContain('\n', rejected.Message);
        Assert.False(Directory.Exists(dir.Staging));
        Assert.Empty(dir.Leftovers());
    }

    [Fact]
    public async Task Extract_WithEmptyInput_IsRejectedAsEmpty()
    {
        using var dir = new TestDirectory();

        var result = await new BundleReader().ExtractAsync(new MemoryStream(), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.EmptyInput, rejected.Rule);
        Assert.Null(rejected.Entry);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithZstdFrameOfNothing_IsRejectedAsTruncated()
    {
        using var dir = new TestDirectory();

        var result = await new BundleReader().ExtractAsync(new MemoryStream(TarFactory.Compress([], BundleFormat.Zstd)), dir.Staging, CancellationToken.None);

        Assert.Equal(BundleRules.Truncated, Assert.IsType<BundleReadResult.Rejected>(result).Rule);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Theory]
    [InlineData(BundleFormat.Gzip)]
    [InlineData(BundleFormat.Zstd)]
    public async Task Extract_WithCorruptCompressedStream_IsRejectedAsBadCompression(BundleFormat format)
    {
        using var dir = new TestDirectory();
        var tar = TarFactory.Tar(w => w.WriteEntry(TarFactory.File("init.sls", string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i}\n")))));
        var bytes = TarFactory.Compress(tar, format);
        for (var i = 12; i < 40; i++)
        {
            bytes[i] ^= 0x5a;
        }

        var result = await new BundleReader().ExtractAsync(new MemoryStream(bytes), dir.Staging, CancellationToken.None);

        Assert.Equal(BundleRules.BadCompression, Assert.IsType<BundleReadResult.Rejected>(result).Rule);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithZstdStreamCutShort_IsRejectedAsTruncated()
    {
        using var dir = new TestDirectory();
        var noise = new byte[256 * 1024];
        new Random(42).NextBytes(noise);
        var tar = TarFactory.Tar(w => w.WriteEntry(TarFactory.File("init.sls", noise)));
        var bytes = TarFactory.Compress(tar, BundleFormat.Zstd);

        var result = await new BundleReader().ExtractAsync(new MemoryStream(bytes[..(bytes.Length / 2)]), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.Truncated, rejected.Rule);
        Assert.Equal("init.sls", rejected.Entry);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithZstdFrameNeedingAWindowPast16MiB_IsRejectedAsBadCompression()
    {
        using var dir = new TestDirectory();
        var tar = TarFactory.Tar(w => w.WriteEntry(TarFactory.File("init.sls", "x: 1\n")));
        using var buffer = new MemoryStream();
        using (var compressor = new CompressionStream(buffer, level: 3, leaveOpen: true))
        {
            // Streamed (size unknown), so the frame header asks for the full 64 MiB window.
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, 26);
            compressor.Write(tar);
        }

        var result = await new BundleReader().ExtractAsync(new MemoryStream(buffer.ToArray()), dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.BadCompression, rejected.Rule);
        Assert.Contains("decoder window over the limit of 16777216 bytes", rejected.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Theory]
    [InlineData(19, 0)] // the zstd CLI's -19 (window 2^23)
    [InlineData(3, 24)] // exactly the limit
    public async Task Extract_WithZstdWindowWithinTheLimit_IsAccepted(int level, int windowLog)
    {
        using var dir = new TestDirectory();
        var tar = TarFactory.Tar(w => w.WriteEntry(TarFactory.File("init.sls", "x: 1\n")));
        using var buffer = new MemoryStream();
        using (var compressor = new CompressionStream(buffer, level, leaveOpen: true))
        {
            if (windowLog > 0)
            {
                compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
            }

            compressor.Write(tar);
        }

        var result = await new BundleReader().ExtractAsync(new MemoryStream(buffer.ToArray()), dir.Staging, CancellationToken.None);

        Assert.Equal("init.sls", Assert.Single(Assert.IsType<BundleReadResult.Accepted>(result).Entries).Path);
    }

    [Fact]
    public async Task Extract_IntoNonEmptyStaging_Throws()
    {
        using var dir = new TestDirectory();
        Directory.CreateDirectory(dir.Staging);
        await File.WriteAllTextAsync(Path.Combine(dir.Staging, "old"), "x");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            new BundleReader().ExtractAsync(new MemoryStream(new byte[1024]), dir.Staging, CancellationToken.None));
    }
}
