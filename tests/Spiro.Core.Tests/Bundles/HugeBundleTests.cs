using System.Formats.Tar;
using Spiro.Core.Bundles;

namespace Spiro.Core.Tests.Bundles;

[Collection(HugeBundles.Name)]
public sealed class HugeBundleTests
{
    private const long OneGiB = 1L << 30;

    /// <summary>sha256 of 2^30 zero bytes (<c>head -c 1073741824 /dev/zero | sha256sum</c>).</summary>
    private const string OneGiBZerosSha256 = "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14";

    private static Func<Stream, Task> TarOf(BundleFormat format, TarEntryFormat entryFormat, Action<TarWriter> write) => async output =>
    {
        await using var compressor = TarFactory.Compressor(output, format);
        await using var writer = new TarWriter(compressor, entryFormat, leaveOpen: true);
        await Task.Yield();
        write(writer);
    };

    [Theory]
    [InlineData(BundleFormat.Gzip)]
    [InlineData(BundleFormat.Zstd)]
    public async Task Extract_WithCompressionBomb_IsRejectedEarlyByExpansionRatio(BundleFormat format)
    {
        using var dir = new TestDirectory();
        await using var bomb = new ProducedStream(TarOf(format, TarEntryFormat.Pax, w =>
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bomb.bin") { DataStream = new ZeroStream(OneGiB) })));

        var result = await new BundleReader().ExtractAsync(bomb.Reader, dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.ExpansionRatio, rejected.Rule);
        Assert.Equal("bomb.bin", rejected.Entry);
        Assert.Contains("while reading entry 'bomb.bin'", rejected.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithTwoHundredThousandAndOneFilesAndDirectories_IsRejectedAtTheDefaultLimit()
    {
        using var dir = new TestDirectory();
        var limits = new BundleLimits();
        Assert.Equal(200_000, limits.MaxEntries);
        await using var tar = new ProducedStream(TarOf(BundleFormat.Tar, TarEntryFormat.Ustar, w =>
        {
            for (var i = 0; i <= limits.MaxEntries; i++)
            {
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"d{i / 1000:D3}/f{i:D6}"));
            }
        }));

        var result = await new BundleReader(limits).ExtractAsync(tar.Reader, dir.Staging, CancellationToken.None);

        var rejected = Assert.IsType<BundleReadResult.Rejected>(result);
        Assert.Equal(BundleRules.TooManyEntries, rejected.Rule);
        // Implied directories count: d000..d198 hold 199 * 1001 paths, d199 plus f199000..f199799 take the total to 200,000.
        Assert.Equal("d199/f199800", rejected.Entry);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithOneEntryPastALowerLimit_IsRejectedInGzip()
    {
        using var dir = new TestDirectory();
        await using var tar = new ProducedStream(TarOf(BundleFormat.Gzip, TarEntryFormat.Ustar, w =>
        {
            for (var i = 0; i <= 1000; i++)
            {
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"f{i:D6}"));
            }
        }));

        var result = await new BundleReader(new BundleLimits { MaxEntries = 1000 }).ExtractAsync(tar.Reader, dir.Staging, CancellationToken.None);

        Assert.Equal((BundleRules.TooManyEntries, "f001000"), Assert.IsType<BundleReadResult.Rejected>(result) is var r ? (r.Rule, r.Entry) : default);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Root));
    }

    [Fact]
    public async Task Extract_WithOneGiBFile_StreamsWithoutMemoryGrowth()
    {
        using var dir = new TestDirectory();
        await using var tar = new ProducedStream(TarOf(BundleFormat.Tar, TarEntryFormat.Pax, w =>
        {
            w.WriteEntry(TarFactory.File("small.sls", "a: b\n"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "_artifacts/disk.img") { DataStream = new ZeroStream(OneGiB) });
        }));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        var peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(5);
            }
        });

        var result = await new BundleReader().ExtractAsync(tar.Reader, dir.Staging, CancellationToken.None);
        await sampling.CancelAsync();
        await sampler;

        var accepted = Assert.IsType<BundleReadResult.Accepted>(result);
        Assert.Contains(new ManifestEntry("_artifacts/disk.img", EntryKind.File, OneGiB, false, OneGiBZerosSha256), accepted.Entries);
        Assert.Equal(OneGiB, new FileInfo(Path.Combine(dir.Staging, "_artifacts/disk.img")).Length);
        Assert.InRange(peak - baseline, 0, 64L << 20);
    }
}
