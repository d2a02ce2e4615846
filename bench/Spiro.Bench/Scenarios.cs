using Spiro.Bench.Store;

namespace Spiro.Bench;

/// <summary>Every scenario, one line each (add <c>server</c>, <c>client</c>, ... here).</summary>
internal static class Scenarios
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new StoreBenchmark(),
        new PublishProfile(),
        new ServerScenario(),
        new Client.ClientBenchmark(),
        new Salt.SaltBenchmark(),
        new SaltEnvs.SaltEnvsBenchmark(),
        new Dashboard.DashboardBenchmark(),
        new Cluster.ClusterBenchmark(),
    ];
}
