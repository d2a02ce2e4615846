using System.Diagnostics;
using System.Globalization;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Bench.Store;

/// <summary>
/// Not a ratio but the steady state to profile: one warm process publishing the store bench's
/// first bundle into a fresh store again and again (as a running server would), printing per
/// publish its wall and CPU time (user and system), the CPU of the thread-pool threads (the tar
/// parse and everything after it) and of the writer thread (the rest), GC pauses and bytes
/// allocated. With <c>--wait FILE</c> it stops after the warm-up until FILE exists, so
/// <c>perf record -g -p PID</c> (with <c>DOTNET_PerfMapEnabled=1</c>) sees only measured publishes.
/// </summary>
internal sealed class PublishProfile : IScenario
{
    public string Name => "publish-profile";

    public string Description => "a warm process publishing one bundle repeatedly, CPU per thread, GC, allocation (for profiling)  [--size-mb 200] [--files 20000] [--runs 5] [--work DIR] [--wait FILE]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var work = Path.Combine(args.Get("work") ?? Path.GetTempPath(), $"spiro-publish-profile-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var bundle = Path.Combine(work, "bundle.tar");
            BundleGenerator.Write(bundle, args.GetLong("size-mb", 200) << 20, (int)args.GetLong("files", 20_000), statesVersion: 1);
            Measure.Run("sync", "-f", work);
            for (var i = 0; i < 2; i++)
            {
                await PublishAsync(work, bundle, "warm-up").ConfigureAwait(false);
            }

            if (args.Get("wait") is { } wait)
            {
                Console.WriteLine($"warmed up; pid {Environment.ProcessId}; waiting for {wait}");
                while (!File.Exists(wait))
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }

            Console.WriteLine(Samples.Load());
            for (var run = 0; run < Math.Max(1, args.GetLong("runs", 5)); run++)
            {
                await PublishAsync(work, bundle, "publish").ConfigureAwait(false);
            }

            Console.WriteLine(Samples.Load());
            return 0;
        }
        finally
        {
            Measure.Run("chmod", "-R", "u+w", work);
            Measure.Run("rm", "-rf", work);
        }
    }

    private static async Task PublishAsync(string work, string bundle, string label)
    {
        var data = Path.Combine(work, "data");
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System);
        var (user, system) = UserAndSystem();
        var pool = ThreadPoolCpu();
        var pause = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await using (var input = File.OpenRead(bundle))
        {
            var result = await store.PublishAsync(new SaltEnvName("bench", "dev"), input, new PublishContext("bench"), CancellationToken.None).ConfigureAwait(false);
            if (result is not PublishResult.Published)
            {
                throw new InvalidOperationException($"publish failed: {result}");
            }
        }

        var wall = clock.Elapsed.TotalMilliseconds;
        var (user2, system2) = UserAndSystem();
        var poolCpu = ThreadPoolCpu() - pool;
        var cpu = user2 - user + system2 - system;
        // The writer thread has ended by now (its time stays in the process's); the JIT's and GC's own threads are small.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-8} wall {wall,6:F0} ms  cpu {cpu,5:F0} ms (user {user2 - user:F0}, sys {system2 - system:F0}): thread pool {poolCpu:F0}, other threads {cpu - poolCpu:F0}; GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) >> 20} MB"));
        Measure.Run("chmod", "-R", "u+w", data);
        Measure.Run("rm", "-rf", data);
    }

    private static (double User, double System) UserAndSystem()
    {
        var fields = StatFields("/proc/self/stat");
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) * 10.0, long.Parse(fields[12], CultureInfo.InvariantCulture) * 10.0);
    }

    /// <summary>User + system time of this process's ".NET TP Worker" threads (which run the parse and the steps after it).</summary>
    private static double ThreadPoolCpu()
    {
        double total = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET TP", StringComparison.Ordinal))
                {
                    var fields = StatFields(Path.Combine(task, "stat"));
                    total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return total;
    }

    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    private static string[] StatFields(string path)
    {
        var stat = File.ReadAllText(path);
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
