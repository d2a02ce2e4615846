using System.Diagnostics;
using System.Globalization;

namespace Spiro.Bench.Client;

/// <summary>
/// <c>client</c>: cold start of the Native AOT spiro-deploy (<c>--help</c>) against the JIT build;
/// bundle+upload time of spiro-deploy against the floors <c>tar -c &gt; /dev/null</c> and
/// <c>curl --data-binary @bundle.tar</c> to the same kind of server, alternated; and the negotiated
/// redeploy (one state changed) against the first deploy, with the bytes uploaded.
/// </summary>
internal sealed class ClientBenchmark : IScenario
{
    // The server bench's warm-up (other content: 5,000 files, 50 MB), then spiro-deploy of a small tree of its own (first and negotiated redeploy).
    private const int WarmUpFiles = 5_000;
    private const long WarmUpBytes = 50L << 20;
    private const long WarmUpTreeMegabytes = 16;

    private ServerWarmUp _warmUp = null!;
    private string _warmTree = "";
    private string _client = "";
    private FreshDirectories _fresh = null!;

    public string Name => "client";

    public string Description => "spiro-deploy: AOT vs JIT cold start (--help); upload vs curl --data-binary and tar -c; negotiated redeploy [--mb 224] [--runs 20] [--upload-runs 3] [--aot PATH] [--no-aot] [--quick]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var quick = args.Has("quick");
        var runs = (int)args.GetLong("runs", quick ? 5 : 20);
        var uploadRuns = (int)Math.Max(1, args.GetLong("upload-runs", 3));
        var megabytes = args.GetLong("mb", quick ? 32 : 224);
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
            var client = aot ?? jit;
            _client = client;
            _warmUp = ServerWarmUp.Write(work, WarmUpFiles, WarmUpBytes);
            _fresh = new FreshDirectories(work);
            _warmTree = Path.Combine(work, "warm-repo");
            TreeGenerator.Write(_warmTree, WarmUpTreeMegabytes, seed: 7);
            var bundle = Path.Combine(work, "bundle.tar");
            Measure.Run("bash", "-c", $"tar -C '{tree}' -c _salt dist > '{bundle}'");
            Measure.Run("sync", "-f", work);
            Console.WriteLine($"client: upload of a {Measure.Mb(bytes)} tree (_salt of 2000 small states, artifacts half random, half text), {uploadRuns} alternated runs, each into a fresh server after {_warmUp.Description}; {Samples.Load()}");
            // GNU tar reads no file data when its output is /dev/null itself: pipe it, so the floor reads what a bundle holds.
            var tarC = new Samples("tar -c | cat > /dev/null");
            var curl = new Samples("curl --data-binary @bundle.tar");
            var none = new Samples("spiro-deploy --compress none");
            var zstd = new Samples("spiro-deploy --compress zstd");
            var steps = new List<Func<Task>>
            {
                () => Task.Run(() => TimeStep(tarC, work, () => Measure.Run("bash", "-c", $"tar -C '{tree}' -c _salt dist | cat > /dev/null"))),
                () => WithFreshServerAsync(work, (url, token) => Task.Run(() => TimeStep(curl, work, () => Measure.Run("curl", "-sS", "-f", "-o", "/dev/null",
                    "--data-binary", "@" + bundle, "-H", "Authorization: bearer " + token, "-H", "Content-Type: application/x-tar",
                    $"{url}api/v1/deploys?project=bench&deployment=curl&highstate=false")))),
                () => WithFreshServerAsync(work, async (url, token) => none.Add((await DeployAsync(client, url, token, tree, "none", "--compress", "none")).Elapsed)),
                () => WithFreshServerAsync(work, async (url, token) => zstd.Add((await DeployAsync(client, url, token, tree, "zstd", "--compress", "zstd")).Elapsed)),
            };
            await AlternateAsync(steps, uploadRuns);
            Console.WriteLine($"  {tarC.Name,-34} {tarC}  {Rate(bytes, tarC.Median)} (the bundling floor)");
            Console.WriteLine($"  {curl.Name,-34} {curl}  {Rate(bytes, curl.Median)} (the upload floor)");
            foreach (var run in new[] { none, zstd })
            {
                Console.WriteLine($"  {run.Name,-34} {run}  {Rate(bytes, run.Median)}  {run.RatioTo(curl)} of curl");
            }

            await MeasureRedeployAsync(work, client, tree, uploadRuns);
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

    /// <summary>
    /// The negotiated upload: a first deploy, then the same tree with one state changed, each
    /// timed from spiro-deploy's start to the release being live, with the request bytes the
    /// server counted (spiro_bytes_received_total: plan and upload bodies alike).
    /// </summary>
    private async Task MeasureRedeployAsync(string work, string client, string tree, int runs)
    {
        var first = new Samples("first deploy");
        var redeploy = new Samples("redeploy, one state changed");
        var ratios = new List<double>();
        long firstBytes = 0, redeployBytes = 0;
        var state = Path.Combine(tree, "_salt", "role0", "state0.sls");
        var original = await File.ReadAllTextAsync(state);
        for (var run = 0; run < runs; run++)
        {
            await WithFreshServerAsync(work, async (url, token) =>
            {
                await File.WriteAllTextAsync(state, original);
                Measure.Run("sync", "-f", work);
                var before = await BytesReceivedAsync(url);
                var a = (await DeployAsync(client, url, token, tree, "redeploy")).Elapsed;
                var middle = await BytesReceivedAsync(url);
                await File.WriteAllTextAsync(state, original + $"# changed in run {run}\n");
                Measure.Run("sync", "-f", work);
                var b = (await DeployAsync(client, url, token, tree, "redeploy")).Elapsed;
                var after = await BytesReceivedAsync(url);
                first.Add(a);
                redeploy.Add(b);
                ratios.Add(b / a);
                (firstBytes, redeployBytes) = (middle - before, after - middle);
            });
        }

        await File.WriteAllTextAsync(state, original);
        ratios.Sort();
        Console.WriteLine("client: negotiated redeploy (spiro-deploy default options, end to end, fresh server per run)");
        Console.WriteLine($"  {first.Name,-34} {first}  uploaded {Measure.Mb(firstBytes)}");
        Console.WriteLine($"  {redeploy.Name,-34} {redeploy}  uploaded {Measure.Mb(redeployBytes)} ({(100.0 * redeployBytes / Math.Max(1, firstBytes)).ToString("0.00", CultureInfo.InvariantCulture)}% of the first deploy's bytes)");
        Console.WriteLine($"  redeploy / first deploy: median {(100 * ratios[ratios.Count / 2]).ToString("0.0", CultureInfo.InvariantCulture)}% ({(100 * ratios[0]).ToString("0.0", CultureInfo.InvariantCulture)}-{(100 * ratios[^1]).ToString("0.0", CultureInfo.InvariantCulture)}%); {Samples.Load()}");
    }

    private static async Task<long> BytesReceivedAsync(Uri url)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(url, "metrics"));
        var line = text.Split('\n').First(l => l.StartsWith("spiro_bytes_received_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static Task<(TimeSpan Elapsed, long PeakRss)> DeployAsync(string client, Uri url, string token, string tree, string deployment, params string[] extra) =>
        RunWithPeakRssAsync(client, ["--server", url.ToString(), "--token", token, "--project-dir", tree, "--artifact", "dist", "--no-highstate", "--no-color", .. extra, "bench", deployment]);

    /// <summary>Runs a step against a server of its own, started and warmed up outside the timing; its data stays until the scenario ends (see FreshDirectories).</summary>
    private async Task WithFreshServerAsync(string work, Func<Uri, string, Task> step)
    {
        var data = _fresh.Next("data");
        await using (var server = await ServerProcess.StartAsync(data))
        {
            var token = ServerProcess.Run("token", "issue", "bench", "--label", "bench", "--data", data);
            using (var http = ServerBench.Client(server, token))
            {
                await _warmUp.RunAsync(server, http, "bench", round => WarmNegotiatedAsync(server.BaseAddress, token, round));
            }

            Measure.Run("sync", "-f", work);
            await step(server.BaseAddress, token);
        }
    }

    /// <summary>spiro-deploy of the warm-up tree: all of it in round 0, one state changed after (the negotiated path with and without missing content).</summary>
    private async Task WarmNegotiatedAsync(Uri url, string token, int round)
    {
        var state = Path.Combine(_warmTree, "_salt", "role0", "state0.sls");
        if (round > 0)
        {
            await File.AppendAllTextAsync(state, $"# warm-up round {round}\n");
        }

        await DeployAsync(_client, url, token, _warmTree, "warm-tree");
    }

    /// <summary>Runs every step <paramref name="runs"/> times, reversing the order every other round.</summary>
    private static async Task AlternateAsync(List<Func<Task>> steps, int runs)
    {
        for (var run = 0; run < runs; run++)
        {
            var order = run % 2 == 0 ? steps : Enumerable.Reverse(steps).ToList();
            foreach (var step in order)
            {
                await step();
            }
        }
    }

    private static void TimeStep(Samples samples, string work, Action action)
    {
        Measure.Run("sync", "-f", work);
        samples.Add(Time(action));
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
