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

    public string Description => "publish/rollback/redeploy vs tar -x  [--size-mb 200] [--files 20000] [--work DIR] [--keep]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var sizeMb = args.GetLong("size-mb", 200);
        var files = (int)args.GetLong("files", 20_000);
        var work = args.Get("work") ?? Path.Combine(Path.GetTempPath(), $"spiro-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, sizeMb, files).ConfigureAwait(false);
        }
        finally
        {
            if (!args.Has("keep"))
            {
                Measure.Run("chmod", "-R", "u+w", work);
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<int> RunInAsync(string work, long sizeMb, int files)
    {
        var first = Path.Combine(work, "bundle-v1.tar");
        var second = Path.Combine(work, "bundle-v2.tar");
        Console.WriteLine($"store benchmark: {sizeMb} MB over {files} files, work dir {work}");
        BundleGenerator.Write(first, sizeMb << 20, files, statesVersion: 1);
        BundleGenerator.Write(second, sizeMb << 20, files, statesVersion: 2);
        Measure.Run("sync", "-f", work);

        // Baseline: plain extraction into the same file system, then the same again made durable.
        var tarDirectory = Path.Combine(work, "tar-x");
        Directory.CreateDirectory(tarDirectory);
        var tar = await Measure.TimeAsync(() => Task.Run(() => Measure.Run("tar", "-xf", first, "-C", tarDirectory))).ConfigureAwait(false);
        var tarSync = tar + await Measure.TimeAsync(() => Task.Run(() => Measure.Run("sync", "-f", tarDirectory))).ConfigureAwait(false);

        var data = Path.Combine(work, "data");
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System);
        var context = new PublishContext("bench");
        var emptyStore = Measure.DiskUse(data);

        ReleaseInfo? v1 = null;
        var writesBefore = Measure.NetStorageWrites();
        var publish = await Measure.TimeAsync(async () => v1 = await PublishAsync(store, first, context).ConfigureAwait(false)).ConfigureAwait(false);
        var firstWrites = Measure.NetStorageWrites() - writesBefore;
        var afterFirst = Measure.DiskUse(data);

        writesBefore = Measure.NetStorageWrites();
        var redeploy = await Measure.TimeAsync(() => PublishAsync(store, second, context)).ConfigureAwait(false);
        var redeployWrites = Measure.NetStorageWrites() - writesBefore;
        var afterSecond = Measure.DiskUse(data);

        var rollback = await Measure.TimeAsync(() => store.RollbackAsync(Dev, v1!.Id, context, CancellationToken.None)).ConfigureAwait(false);
        var promote = await Measure.TimeAsync(() => store.PromoteAsync(Dev, new SaltEnvName("bench", "prod"), null, context, CancellationToken.None)).ConfigureAwait(false);
        var afterPromote = Measure.DiskUse(data);

        var firstGrowth = afterFirst - emptyStore;
        var rows = new (string Name, string Value)[]
        {
            ("bundle", $"{Measure.Mb(new FileInfo(first).Length)}, {files} files"),
            ("tar -x (baseline)", Measure.Ms(tar)),
            ("tar -x + sync -f", Measure.Ms(tarSync)),
            ("publish (first)", $"{Measure.Ms(publish)}  ratio vs tar -x {Ratio(publish, tar)}, vs tar -x + sync {Ratio(publish, tarSync)}"),
            ("disk growth (first)", Measure.Mb(firstGrowth)),
            ("storage writes (first)", Measure.Mb(firstWrites)),
            ("redeploy, states changed", $"{Measure.Ms(redeploy)}  ({Ratio(redeploy, publish)} of first publish)"),
            ("disk growth (redeploy)", $"{Measure.Mb(afterSecond - afterFirst)}  ({Percent(afterSecond - afterFirst, firstGrowth)} of first publish)"),
            ("storage writes (redeploy)", $"{Measure.Mb(redeployWrites)}  ({Percent(redeployWrites, firstWrites)} of first publish)"),
            ("rollback", Measure.Ms(rollback)),
            ("promote dev -> prod", $"{Measure.Ms(promote)}  disk growth {Measure.Mb(afterPromote - afterSecond)}"),
            ("peak RSS (VmHWM)", Measure.Mb(Measure.PeakRss())),
        };
        foreach (var (name, value) in rows)
        {
            Console.WriteLine($"  {name,-26} {value}");
        }

        return 0;
    }

    private static async Task<ReleaseInfo> PublishAsync(ReleaseStore store, string bundle, PublishContext context)
    {
        await using var stream = File.OpenRead(bundle);
        var result = await store.PublishAsync(Dev, stream, context, CancellationToken.None).ConfigureAwait(false);
        return result is PublishResult.Published published ? published.Release : throw new InvalidOperationException($"publish failed: {result}");
    }

    private static string Ratio(TimeSpan a, TimeSpan b) => (a.TotalMilliseconds / Math.Max(1, b.TotalMilliseconds)).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static string Percent(long part, long whole) => (100.0 * part / Math.Max(1, whole)).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
