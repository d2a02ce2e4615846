using System.Text;

namespace Spiro.Core.Tests.Releases;

public sealed class AtomicFlipTests : IDisposable
{
    private readonly StoreFixture _fixture = new(keepReleases: 200);

    public void Dispose() => _fixture.Dispose();

    private static Dictionary<string, string> Version(int n) =>
        Enumerable.Range(0, 8).ToDictionary(i => $"d{i % 3}/f{i}.sls", i => $"release {n} file {i}");

    [Fact]
    public async Task Readers_WhilePublishesFlipTheSaltEnv_AlwaysSeeOneWholeRelease()
    {
        await _fixture.PublishAsync("foo/dev", Version(0));
        var link = Path.Combine(_fixture.Data, "envs/foo/dev");
        var stop = false;
        var reads = 0;
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void ReadUntilStopped()
        {
            while (!Volatile.Read(ref stop))
            {
                // Resolve once per read, then read every file of that release.
                var target = new FileInfo(link).LinkTarget;
                if (target is null)
                {
                    problems.Add("the saltenv pointer was missing");
                    continue;
                }

                var tree = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link)!, target));
                var versions = Enumerable.Range(0, 8)
                    .Select(i => File.ReadAllText(Path.Combine(tree, $"d{i % 3}/f{i}.sls"), Encoding.UTF8).Split(' ')[1])
                    .Distinct()
                    .ToList();
                if (versions.Count != 1)
                {
                    problems.Add($"mixed read: {string.Join(",", versions)}");
                }

                seen.UnionWith(versions);

                // Through the symlink itself a file is never missing (the original's window with no saltenv).
                if (!File.Exists(Path.Combine(link, "d0/f0.sls")))
                {
                    problems.Add("file missing through the pointer");
                }

                reads++;
                reading.TrySetResult();
            }
        }

        // A thread of its own: on a busy thread pool a Task.Run reader could start only after every publish.
        var reader = Task.Factory.StartNew(ReadUntilStopped, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var n = 1; n <= 100; n++)
        {
            await _fixture.PublishAsync("foo/dev", Version(n));
        }

        Volatile.Write(ref stop, true);
        await reader;

        Assert.Empty(problems);
        // The reads must really have overlapped the flips: they saw more than one release.
        Assert.True(seen.Count > 2, $"only {reads} reads of {seen.Count} releases overlapped the publishes");
        Assert.Equal("release 100 file 3", _fixture.ReadLive("foo/dev", "d0/f3.sls"));
    }
}
