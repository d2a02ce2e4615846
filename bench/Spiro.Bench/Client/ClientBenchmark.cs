using System.Diagnostics;
using System.Globalization;

namespace Spiro.Bench.Client;

/// <summary>
/// <c>client</c>: cold start of the Native AOT spiro-deploy (<c>--help</c>) against the JIT build, and
/// bundle build+upload throughput of spiro-deploy against <c>tar -c | curl -T -</c> of the same tree
/// to the same in-process server (ratio measured in the same run).
/// </summary>
internal sealed class ClientBenchmark : IScenario
{
    public string Name => "client";

    public string Description => "spiro-deploy: AOT vs JIT cold start (--help); upload (gzip, zstd, none) vs tar | curl [--mb 256] [--runs 20] [--aot PATH] [--no-aot] [--quick]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var quick = args.Has("quick");
        var runs = (int)args.GetLong("runs", quick ? 5 : 20);
        var megabytes = args.GetLong("mb", quick ? 32 : 256);
        var work = Directory.CreateTempSubdirectory("spiro-bench-client-").FullName;
        try
        {
            var jit = Path.Combine(AppContext.BaseDirectory, "spiro-deploy");
            // Publishing Native AOT takes minutes: --quick skips it unless --aot names a published binary.
            var aot = args.Get("aot") ?? (args.Has("no-aot") || quick ? null : PublishAot(work));
            Console.WriteLine($"client: cold start, {runs} runs of --help each (median wall time)");
            var jitStart = ColdStart(jit, runs);
            Console.WriteLine($"  JIT  {Ms(jitStart)}  ({jit})");
            if (aot is not null)
            {
                var aotStart = ColdStart(aot, runs);
                Console.WriteLine($"  AOT  {Ms(aotStart)}  ({aot}, {Measure.Mb(new FileInfo(aot).Length)})");
                Console.WriteLine($"  ratio JIT/AOT: {(jitStart / aotStart).ToString("0.0", CultureInfo.InvariantCulture)}x");
            }

            var tree = Path.Combine(work, "repo");
            var bytes = TreeGenerator.Write(tree, megabytes);
            Console.WriteLine($"client: upload of a {Measure.Mb(bytes)} tree (_salt of small files, artifacts half random, half text)");
            var data = Path.Combine(work, "data");
            await using var server = await ServerProcess.StartAsync(data);
            var token = ServerProcess.Run("token", "issue", "bench", "--label", "bench", "--data", data);
            var url = server.BaseAddress;
            var baseline = Time(() => Measure.Run("bash", "-c",
                $"set -o pipefail; tar -C '{tree}' -c _salt dist | curl -sS -f -T - -X POST -H 'Authorization: bearer {token}' " +
                $"-H 'Content-Type: application/x-tar' '{url}api/v1/deploys?project=bench&deployment=tar&highstate=false' > /dev/null"));
            var client = aot ?? jit;
            var (deploy, peak) = await RunWithPeakRssAsync(client, "--server", url.ToString(), "--token", token, "--project-dir", tree,
                "--artifact", "dist", "--no-highstate", "--no-color", "bench", "client");
            Console.WriteLine($"  tar -c | curl -T -      {Ms(baseline)}  {Rate(bytes, baseline)}");
            Console.WriteLine($"  spiro-deploy (gzip, v1) {Ms(deploy)}  {Rate(bytes, deploy)}  client peak RSS {Measure.Mb(peak)} (streams: independent of the tree size)");
            Console.WriteLine($"  ratio spiro-deploy/tar throughput: {(baseline / deploy).ToString("0.00", CultureInfo.InvariantCulture)}");
            foreach (var compress in new[] { "zstd", "none", "gzip" })
            {
                var (other, otherPeak) = await RunWithPeakRssAsync(client, "--server", url.ToString(), "--token", token, "--project-dir", tree,
                    "--artifact", "dist", "--no-highstate", "--no-color", "--compress", compress, "bench", compress);
                Console.WriteLine($"  spiro-deploy --compress {compress,-4} {Ms(other)}  {Rate(bytes, other)}  peak RSS {Measure.Mb(otherPeak)}  ratio vs tar {(baseline / other).ToString("0.00", CultureInfo.InvariantCulture)}");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string PublishAot(string work)
    {
        var root = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(root, "Spiro.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("run from the repository (./build.sh bench client)");
        }

        var output = Path.Combine(work, "aot");
        Console.WriteLine("client: publishing the Native AOT spiro-deploy (pass --aot PATH to reuse ./build.sh publish output)");
        Measure.Run("dotnet", "publish", Path.Combine(root, "src", "Spiro.Deploy", "Spiro.Deploy.csproj"), "-c", "Release", "-nologo",
            "-p:PublishAot=true", "-r", "linux-x64", "-o", output);
        return Path.Combine(output, "spiro-deploy");
    }

    private static TimeSpan ColdStart(string executable, int runs)
    {
        Measure.Run(executable, "--help");
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            times.Add(Time(() => Measure.Run(executable, "--help")));
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Runs a child to completion, sampling its VmHWM (peak RSS) until it exits.</summary>
    private static async Task<(TimeSpan Elapsed, long PeakRss)> RunWithPeakRssAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
                }
            }
            catch (IOException)
            {
                // Exited between the check and the read.
            }

            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }

        return (elapsed, peak);
    }

    private static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Rate(long bytes, TimeSpan time) => (bytes / 1048576.0 / time.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " MB/s";
}
