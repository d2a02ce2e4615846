using System.Collections.Concurrent;
using System.Security.Cryptography;
using Spiro.Core.Bundles;
using static Spiro.Core.Tests.Bundles.TarFactory;

namespace Spiro.Core.Tests.Bundles;

/// <summary>
/// Slabs recycle many times while one writer is stalled on a file whose bytes are still
/// in a slab, so a slab handed back before every writer passed its release shows as wrong bytes.
/// Also checks that both writer threads really executed file jobs.
/// </summary>
[Collection(StagingWritersAlone.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StagingSlabReuseTests
{
    private const int Mid = 1 << 20;

    private static byte[] Content(int i)
    {
        var bytes = new byte[Mid - 1000 + i];
        new Random(1000 + i).NextBytes(bytes);
        return bytes;
    }

    private static readonly byte[] Bundle = Tar(w =>
    {
        for (var i = 0; i < 40; i++)
        {
            w.WriteEntry(File($"t/t{i}.sls", $"tiny {i}\n"));
        }

        for (var i = 0; i < 60; i++)
        {
            w.WriteEntry(File($"m/m{i}.bin", Content(i)));
        }
    });

    [Fact]
    public async Task Extract_StalledWriterWhileSlabsRecycle_EveryFileHasItsOwnBytes()
    {
        using var dir = new TestDirectory();
        var known = new StallingKnownContent();
        var accepted = Assert.IsType<BundleReadResult.Accepted>(
            await new BundleReader(new BundleLimits(), known).ExtractAsync(new MemoryStream(Bundle), dir.Staging, CancellationToken.None));

        Assert.True(known.Threads.Count >= Math.Min(2, Environment.ProcessorCount), $"file jobs ran on {known.Threads.Count} thread(s): the second writer never ran one");
        for (var i = 0; i < 60; i++)
        {
            var path = $"m/m{i}.bin";
            var expected = Content(i);
            var entry = accepted.Entries.Single(e => e.Path == path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), entry.Sha256);
            var actual = await System.IO.File.ReadAllBytesAsync(Path.Combine(dir.Staging, path));
            Assert.True(expected.SequenceEqual(actual), $"{path} was written with another file's bytes");
        }
    }

    /// <summary>Holds nothing; stalls the writer thread that asks about some files, as a slow disk or a cold object directory would.</summary>
    private sealed class StallingKnownContent : IKnownContent
    {
        public ConcurrentDictionary<int, byte> Threads { get; } = new();

        public bool TryLinkExisting(string sha256, bool executable, StagedFile destination)
        {
            var name = destination.RelativePath;
            if (name.StartsWith("m/", StringComparison.Ordinal))
            {
                Threads.TryAdd(Environment.CurrentManagedThreadId, 0);
            }

            if (name.StartsWith("t/", StringComparison.Ordinal))
            {
                Thread.Sleep(5);
            }
            else if (int.Parse(name.AsSpan(3, name.Length - 7), System.Globalization.CultureInfo.InvariantCulture) % 3 == 0)
            {
                Thread.Sleep(150);
            }

            return false;
        }

        public bool MayHoldAny() => true;

        public bool MayHold(string sha256, bool executable) => true;

        public bool TryAdopt(StagedFile stagedFile, string sha256, bool executable) => false;
    }
}
