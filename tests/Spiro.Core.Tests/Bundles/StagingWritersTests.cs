using Spiro.Core.Bundles;
using static Spiro.Core.Tests.Bundles.TarFactory;

namespace Spiro.Core.Tests.Bundles;

/// <summary>
/// The bundle reader's second writer thread (StagingPipeline): a bundle large enough to start it
/// extracts to the same tree and manifest as with one writer, and a failure on either writer
/// fails the extraction without a hang or a leftover. Not run in parallel with other tests: it
/// sets the process-wide writer limit and reads the process-wide count of second writers.
/// </summary>
[Collection(StagingWritersAlone.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StagingWritersTests
{
    private const UnixFileMode Rwxr_xr_x = (UnixFileMode)0b111_101_101;

    // Enough small files that the first writer's queue grows past the point where the second starts,
    // with large (streamed) files between them and the same content under several names.
    private static readonly byte[] ManyFiles = Tar(w =>
    {
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            var content = i % 10 == 3 ? "shared: content\n" : $"file: {i}\n{new string('x', i % 700)}\n";
            w.WriteEntry(File($"d{i % 37}/f{i}.sls", content, i % 9 == 0 ? Rwxr_xr_x : null));
            if (i % 600 == 599)
            {
                var big = new byte[BundleExtraction.SmallFileBytes + 12_345 + i];
                random.NextBytes(big);
                w.WriteEntry(File($"big/b{i}.bin", big));
            }
        }
    });

    private static async Task<BundleReadResult.Accepted> ExtractAsync(string staging, IKnownContent? known, int writers)
    {
        StagingPipeline.MaxWriters = writers;
        try
        {
            var reader = known is null ? new BundleReader() : new BundleReader(new BundleLimits(), known);
            return Assert.IsType<BundleReadResult.Accepted>(await reader.ExtractAsync(new MemoryStream(ManyFiles), staging, CancellationToken.None));
        }
        finally
        {
            StagingPipeline.MaxWriters = StagingPipeline.DefaultMaxWriters;
        }
    }

    [Fact]
    public async Task Extract_ManyFiles_TwoWritersWriteTheSameTreeAndManifestAsOne()
    {
        using var dir = new TestDirectory();
        var one = await ExtractAsync(Path.Combine(dir.Root, "one"), null, writers: 1);
        var startedBefore = StagingPipeline.SecondWritersStarted;

        // Known content for half the small files, so both writers link some files and write others.
        var known = new RecordingKnownContent(Path.Combine(dir.Root, "known"));
        known.Learn(Path.Combine(dir.Root, "one"), one.Entries.Where((_, i) => i % 2 == 0));
        var two = await ExtractAsync(dir.Staging, known, writers: StagingPipeline.DefaultMaxWriters);

        Assert.True(StagingPipeline.SecondWritersStarted > startedBefore, "the 3005-file bundle never started a second writer");
        Assert.Equal(one.Entries, two.Entries);
        Assert.Equal(one.TotalBytes, two.TotalBytes);
        Assert.NotEmpty(known.Linked);
        Assert.NotEmpty(known.Missed);
        foreach (var entry in one.Entries.Where(e => e.Kind == EntryKind.File))
        {
            var expected = Path.Combine(dir.Root, "one", entry.Path);
            var actual = Path.Combine(dir.Staging, entry.Path);
            Assert.Equal(await System.IO.File.ReadAllBytesAsync(expected), await System.IO.File.ReadAllBytesAsync(actual));
            Assert.Equal(System.IO.File.GetUnixFileMode(expected), System.IO.File.GetUnixFileMode(actual));
        }
    }

    [Fact]
    public async Task Extract_WriterFailsLateInAManyFileBundle_FailsAndLeavesNoStaging()
    {
        using var dir = new TestDirectory();
        var one = await ExtractAsync(Path.Combine(dir.Root, "one"), null, writers: 1);
        var known = new FailingKnownContent($"d{2500 % 37}/f2500.sls");
        var startedBefore = StagingPipeline.SecondWritersStarted;

        var failure = await Assert.ThrowsAsync<IOException>(() => ExtractAsync(dir.Staging, known, writers: StagingPipeline.DefaultMaxWriters));

        Assert.Contains("f2500.sls", failure.Message, StringComparison.Ordinal);
        Assert.True(StagingPipeline.SecondWritersStarted > startedBefore, "the failure came before a second writer started");
        Assert.False(Directory.Exists(dir.Staging), "staging was left behind after the writer failed");
        Assert.Equal(3005, one.Entries.Count(e => e.Kind == EntryKind.File));
    }

    /// <summary>Holds nothing, and fails the way a full or broken disk would on one file's link.</summary>
    private sealed class FailingKnownContent(string failOn) : IKnownContent
    {
        public bool TryLinkExisting(string sha256, bool executable, StagedFile destination) =>
            destination.RelativePath == failOn ? throw new IOException($"injected failure linking {destination.RelativePath}") : false;

        public bool MayHoldAny() => true;

        public bool TryAdopt(StagedFile stagedFile, string sha256, bool executable) => false;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StagingWritersAlone
{
    public const string Name = "staging writers";
}
