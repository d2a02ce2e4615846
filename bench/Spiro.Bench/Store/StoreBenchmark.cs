using Spiro.Core.Bundles;
using System.Globalization;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Bench.Store;

/// <summary>
/// The release store against its baseline, in one run on one file system: publish vs `tar -x`
/// of the same bundle, rollback, a states-only redeploy (time and disk growth), promote, and
/// the process's peak RSS.
/// </summary>
internal sealed class StoreBenchmark : IScenario
{
    private static readonly SaltEnvName Dev = new("bench", "dev");

    public string Name => "store";

    public string Description => "publish/rollback/redeploy vs tar -x, alternated  [--size-mb 200] [--files 20000] [--runs 3] [--work DIR] [--keep]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var sizeMb = args.GetLong("size-mb", 200);
        var files = (int)args.GetLong("files", 20_000);
        var runs = (int)Math.Max(1, args.GetLong("runs", 3));
        var work = args.Get("work") ?? Path.Combine(Path.GetTempPath(), $"spiro-bench-{Environment.ProcessId}");
        work = Path.Combine(work, $"spiro-store-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, sizeMb, files, runs).ConfigureAwait(false);
        }
        finally
        {
            if (!args.Has("keep"))
            {
                Remove(work);
            }
        }
    }

    private static async Task<int> RunInAsync(string work, long sizeMb, int files, int runs)
    {
        var first = Path.Combine(work, "bundle-v1.tar");
        var second = Path.Combine(work, "bundle-v2.tar");
        Console.WriteLine($"store benchmark: {sizeMb} MB over {files} files, work dir {work} ({Measure.FileSystem(work)}), {runs} alternated runs; every step into a directory of its own, none removed before the end");
        BundleGenerator.Write(first, sizeMb << 20, files, statesVersion: 1);
        BundleGenerator.Write(second, sizeMb << 20, files, statesVersion: 2);
        Measure.Run("sync", "-f", work);
        var fresh = new FreshDirectories(work);

        // One untimed publish first: a running server has its code compiled; the measured runs should too.
        await PublishAsync(OpenStore(fresh.Next("warm-up")), first, new PublishContext("bench")).ConfigureAwait(false);
        Measure.ResetPeakRss();
        Console.WriteLine($"  {Samples.Load()} (before)");

        var tar = new Samples("tar -x");
        var tarSync = new Samples("tar -x + sync -f");
        var publish = new Samples("publish (first)");
        var publishOneWriter = new Samples("publish (first), one writer");
        var redeploy = new Samples("redeploy");
        long firstWrites = 0, redeployWrites = 0;
        (ReleaseStore Store, ReleaseInfo V1, string Data)? last = null;
        for (var run = 0; run < runs; run++)
        {
            // Alternate the order so a slow minute of the machine hits baseline and publish alike.
            var steps = new List<Func<Task>>
            {
                () => TarAsync(tar, first, fresh.Next("tar-x"), sync: false),
                () => TarAsync(tarSync, first, fresh.Next("tar-x-sync"), sync: true),
                () => PublishFirstAsync(publishOneWriter, writers: 1),
                () => PublishFirstAsync(publish, writers: StagingPipeline.DefaultMaxWriters),
            };
            if (run % 2 == 1)
            {
                steps.Reverse();
            }

            foreach (var step in steps)
            {
                await step().ConfigureAwait(false);
            }
        }

        // A first publish into a fresh store; the one-writer arm is the bundle reader before its
        // second writer thread (bench/README.md, seventh round), alternated with the default.
        async Task PublishFirstAsync(Samples samples, int writers)
        {
            // The rows after this loop (disk growth, storage writes, redeploys) come from the last
            // default publish, never from the one-writer arm.
            var oneWriter = writers == 1;
            var data = fresh.Next(oneWriter ? "data-one-writer" : "data");
            var store = OpenStore(data);
            var context = new PublishContext("bench");
            Synced(work);
            ReleaseInfo? v1 = null;
            var writes = Measure.NetStorageWrites();
            StagingPipeline.MaxWriters = writers;
            try
            {
                samples.Add(await Measure.TimeWithCpuAsync(async () => v1 = await PublishAsync(store, first, context).ConfigureAwait(false)).ConfigureAwait(false));
            }
            finally
            {
                StagingPipeline.MaxWriters = StagingPipeline.DefaultMaxWriters;
            }

            if (!oneWriter)
            {
                firstWrites = Measure.NetStorageWrites() - writes;
                last = (store, v1!, data);
            }
        }

        var (lastStore, lastV1, lastData) = last!.Value;
        var context2 = new PublishContext("bench");
        var emptyGrowth = Measure.DiskUse(lastData);
        for (var run = 0; run < runs; run++)
        {
            // Each redeploy replaces the last one: v2 and v1 alternate as the live release, sharing the artifacts.
            Synced(work);
            var writes = Measure.NetStorageWrites();
            redeploy.Add(await Measure.TimeWithCpuAsync(() => PublishAsync(lastStore, run % 2 == 0 ? second : first, context2)).ConfigureAwait(false));
            redeployWrites = Measure.NetStorageWrites() - writes;
        }

        var afterRedeploys = Measure.DiskUse(lastData);
        var rollback = await Measure.TimeAsync(() => lastStore.RollbackAsync(Dev, lastV1.Id, context2, CancellationToken.None)).ConfigureAwait(false);
        var promote = await Measure.TimeAsync(() => lastStore.PromoteAsync(Dev, new SaltEnvName("bench", "prod"), null, context2, CancellationToken.None)).ConfigureAwait(false);
        var afterPromote = Measure.DiskUse(lastData);

        var rows = new (string Name, string Value)[]
        {
            ("bundle", $"{Measure.Mb(new FileInfo(first).Length)}, {files} files"),
            ("tar -x (baseline)", tar.ToString()),
            ("tar -x + sync -f", tarSync.ToString()),
            ("publish (first)", $"{publish}  ratio vs tar -x {publish.RatioTo(tar)}, vs tar -x + sync -f {publish.RatioTo(tarSync)}; cpu {publish.CpuRatioTo(tar)} of tar -x"),
            ("publish (first), one writer", $"{publishOneWriter}  ratio vs tar -x {publishOneWriter.RatioTo(tar)}; two writers' time {publish.RatioTo(publishOneWriter)} of one writer's (this build; MaxWriters = 1)"),
            ("disk growth (first)", Measure.Mb(emptyGrowth)),
            ("storage writes (first)", Measure.Mb(firstWrites)),
            ("redeploy, states changed", $"{redeploy}  ({redeploy.RatioTo(publish)} of first publish)"),
            ("disk growth (redeploys)", $"{Measure.Mb(afterRedeploys - emptyGrowth)} for {runs} redeploys"),
            ("storage writes (redeploy)", $"{Measure.Mb(redeployWrites)}  ({Percent(redeployWrites, firstWrites)} of first publish)"),
            ("rollback", Measure.Ms(rollback)),
            ("promote dev -> prod", $"{Measure.Ms(promote)}  disk growth {Measure.Mb(afterPromote - afterRedeploys)}"),
            ("peak RSS (VmHWM)", $"{Measure.Mb(Measure.PeakRss())} (over the measured publishes; bundle generation excluded)"),
        };
        foreach (var (name, value) in rows)
        {
            Console.WriteLine($"  {name,-26} {value}");
        }

        Console.WriteLine($"  {Samples.Load()} (after)");
        return 0;
    }

    private static async Task TarAsync(Samples samples, string bundle, string directory, bool sync)
    {
        Synced(directory);
        samples.Add(await Measure.TimeWithCpuAsync(() => Task.Run(() =>
        {
            Measure.Run("tar", "-xf", bundle, "-C", directory);
            if (sync)
            {
                Measure.Run("sync", "-f", directory);
            }
        })).ConfigureAwait(false));
    }

    private static ReleaseStore OpenStore(string data) => ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System);

    // Earlier steps' dirty pages are written before a step is timed, not during it.
    private static void Synced(string path) => Measure.Run("sync", "-f", path);

    private static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Measure.Run("chmod", "-R", "u+w", path);
            Measure.Run("rm", "-rf", path);
        }
    }

    private static async Task<ReleaseInfo> PublishAsync(ReleaseStore store, string bundle, PublishContext context)
    {
        await using var stream = File.OpenRead(bundle);
        var result = await store.PublishAsync(Dev, stream, context, CancellationToken.None).ConfigureAwait(false);
        return result is PublishResult.Published published ? published.Release : throw new InvalidOperationException($"publish failed: {result}");
    }

    private static string Percent(long part, long whole) => (100.0 * part / Math.Max(1, whole)).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
