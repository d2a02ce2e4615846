namespace Spiro.Bench;

/// <summary><c>server</c>: end-to-end deploys over loopback, upload memory, concurrency (see <see cref="ServerBench"/>).</summary>
internal sealed class ServerScenario : IScenario
{
    public string Name => "server";

    public string Description => "deploys over HTTP/HTTPS vs tar -x, alternated; peak RSS during a 2 GiB upload; 50 concurrent vs sequential [--runs 3] [--work DIR] [--quick] [--perf FILE]";

    public Task<int> RunAsync(BenchArgs args) => ServerBench.RunAsync(args.Has("quick"), (int)Math.Max(1, args.GetLong("runs", 3)), args.Get("work"), args.Get("perf"));
}
