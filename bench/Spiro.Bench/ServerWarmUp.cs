namespace Spiro.Bench;

/// <summary>
/// What every fresh server gets before a measured deploy, so the measurement runs code that tiered
/// compilation has finished optimising, as in a running server, and is still a first deploy of its
/// content: two rounds of untimed deploys of other content (two bundles of a quarter of the files,
/// then 30 of one file, then the scenario's own, e.g. spiro-deploy's negotiated path), each
/// followed by a wait until the server uses no CPU. Tiered compilation counts calls only once the
/// JIT has been quiet for 100 ms, and each method passes an instrumented tier before the optimised
/// one: deploys back to back (one round, one wait at the end) left ~430 methods, the per-file path
/// and the body's asynchronous reads among them, to be counted and compiled during the measured
/// deploy, which then ran them instrumented (bench/README.md).
/// </summary>
internal sealed class ServerWarmUp
{
    private const int Rounds = 2;
    private const int TinyDeploys = 30;

    private readonly List<string> _bundles;

    private ServerWarmUp(List<string> bundles) => _bundles = bundles;

    /// <summary>A sentence for the scenario's header.</summary>
    public string Description { get; private init; } = "";

    /// <summary>Writes the two warm-up bundles (<paramref name="files"/> files and <paramref name="bytes"/> bytes each, seeds no measured bundle uses) under <paramref name="root"/>.</summary>
    public static ServerWarmUp Write(string root, int files, long bytes)
    {
        var bundles = Enumerable.Range(3, 2).Select(seed =>
        {
            var path = Path.Combine(root, $"warm-up-{seed}.tar");
            BenchBundles.WriteManyFiles(path, files, bytes, seed);
            return path;
        }).ToList();
        return new ServerWarmUp(bundles)
        {
            Description = $"untimed warm-up deploys of other content ({Rounds} rounds of: two of {files} files, {TinyDeploys} of one file; the server's CPU gone idle after each step)",
        };
    }

    /// <summary>Warms <paramref name="server"/> through <paramref name="client"/> (deploying to <paramref name="project"/>/warm, warm-1 and warm-2), then waits until it is idle.</summary>
    public async Task RunAsync(ServerProcess server, HttpClient client, string project, Func<int, Task>? scenario = null)
    {
        for (var round = 0; round < Rounds; round++)
        {
            // Each big bundle has a saltenv of its own: deployed to the tiny deploys' saltenv, it was
            // pruned by retention, and removing its thousands of files slowed the measured deploy's
            // file creation (see FreshDirectories).
            foreach (var (bundle, index) in _bundles.Select((b, i) => (b, i)))
            {
                await ServerBench.DeployFileAsync(client, bundle, project, $"warm-{index + 1}");
                await server.WaitUntilIdleAsync();
            }

            // Code run a few times per deploy (endpoint, events, SQLite) is promoted only after ~30 calls.
            for (var i = 0; i < TinyDeploys; i++)
            {
                await ServerBench.DeployFileAsync(client, null, project, "warm");
            }

            await server.WaitUntilIdleAsync();
            if (scenario is not null)
            {
                await scenario(round);
                await server.WaitUntilIdleAsync();
            }
        }
    }
}
