using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Bench;

/// <summary>End-to-end deploy server measurements over loopback, each against a baseline from the same run.</summary>
internal static class ServerBench
{
    /// <param name="perf">
    /// When set, <c>perf record -a -g</c> runs around one extra first HTTP deploy before the runs (into
    /// a server of its own with perf maps, so jitted frames have names) and writes there; that deploy
    /// is in no printed figure and no other server gets perf maps.
    /// </param>
    public static async Task<int> RunAsync(bool quick, int runs, string? work, string? perf = null)
    {

        var files = quick ? 2_000 : 20_000;
        var bytes = quick ? 20L << 20 : 200L << 20;
        var huge = quick ? 256L << 20 : 2L << 30;
        var parallel = quick ? 10 : 50;
        var root = work is null
            ? Directory.CreateTempSubdirectory("spiro-bench-server-").FullName
            : Directory.CreateDirectory(Path.Combine(work, $"spiro-bench-server-{Environment.ProcessId}")).FullName;
        try
        {
            var bundle = Path.Combine(root, "bundle.tar");
            BenchBundles.WriteManyFiles(bundle, files, bytes, seed: 1);
            Console.WriteLine($"bundle: {files} files, {bytes >> 20} MiB (tar {new FileInfo(bundle).Length >> 20} MiB)");
            var warmUp = ServerWarmUp.Write(root, files / 4, bytes / 4);
            Measure.Run("sync", "-f", root);
            var fresh = new FreshDirectories(root);
            Console.WriteLine($"{runs} alternated runs, each deploy into a fresh server and data directory after {warmUp.Description}, file system {Measure.FileSystem(root)}, no step's directory removed before the end; {Samples.Load()}");
            var tar = new Samples("tar -x");
            var tarSync = new Samples("tar -x + sync -f");
            var (crt, key) = WriteCertificate(root);
            // The same HTTP deploy sent by curl too: if the bench's own HttpClient were the slow part, curl's deploy would show it.
            var deploys = new[] { ("over HTTP", false, false), ("by curl --data-binary", false, true), ("over HTTPS", true, false) }
                .Select(t => (Name: t.Item1, Tls: t.Item2, Curl: t.Item3, First: new Samples($"deploy {t.Item1} (first)"), Again: new Samples($"deploy {t.Item1} (same content again)")))
                .ToList();
            var steps = new List<Func<Task>>
            {
                () => TarAsync(tar, bundle, root, fresh.Next("tar-x"), sync: false),
                () => TarAsync(tarSync, bundle, root, fresh.Next("tar-x-sync"), sync: true),
            };
            foreach (var d in deploys)
            {
                steps.Add(async () =>
                {
                    var data = fresh.Next("data");
                    var token = ServerProcess.Run("token", "issue-root", "--data", data);
                    await using var server = await ServerProcess.StartAsync(data, d.Tls ? crt : null, d.Tls ? key : null);
                    using var client = Client(server, token);
                    await warmUp.RunAsync(server, client, "warm");
                    Func<Task> deploy = d.Curl ? () => CurlDeployAsync(server, token, bundle) : () => DeployFileAsync(client, bundle, "bench", "dev");
                    Measure.Run("sync", "-f", root);
                    d.First.Add(await TimeWithCpuAsync(server, deploy));
                    Measure.Run("sync", "-f", root);
                    d.Again.Add(await TimeWithCpuAsync(server, deploy));
                });
            }

            if (perf is not null)
            {
                var data = fresh.Next("data");
                var token = ServerProcess.Run("token", "issue-root", "--data", data);
                await using var server = await ServerProcess.StartAsync(data, null, null, perfMap: true);
                using var client = Client(server, token);
                await warmUp.RunAsync(server, client, "warm");
                Measure.Run("sync", "-f", root);
                var record = PerfRecord.Start(Path.GetFullPath(perf));
                await DeployFileAsync(client, bundle, "bench", "dev");
                record.Stop();
            }

            for (var run = 0; run < runs; run++)
            {
                Console.WriteLine($"  run {run + 1}: {Samples.Load()}");
                foreach (var step in run % 2 == 0 ? steps : Enumerable.Reverse(steps).ToList())
                {
                    await step();
                }
            }

            Console.WriteLine($"{"tar -x (baseline)",-40} {tar}");
            Console.WriteLine($"{"tar -x + sync -f",-40} {tarSync}");
            foreach (var d in deploys)
            {
                Console.WriteLine($"{d.First.Name,-40} {d.First}  {d.First.RatioTo(tar)} of tar -x, {d.First.RatioTo(tarSync)} of tar -x + sync -f; cpu {d.First.CpuRatioTo(tar)} of tar -x");
                Console.WriteLine($"{d.Again.Name,-40} {d.Again}  {d.Again.RatioTo(tar)} of tar -x");
            }

            Console.WriteLine(Samples.Load());
            await MeasureHugeUploadAsync(root, huge);
            await MeasureConcurrencyAsync(root, parallel);
            return 0;
        }
        finally
        {
            MakeWritable(root);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureHugeUploadAsync(string root, long size)
    {
        var data = Path.Combine(root, "data-huge");
        var config = Path.Combine(root, "huge.yml");
        await File.WriteAllTextAsync(config, $"max_body_size: {size + (64L << 20)}\nmax_bundle_bytes: {size + (1L << 20)}\nmax_bundle_file_bytes: {size + (1L << 20)}\n");
        var token = ServerProcess.Run("token", "issue-root", "--data", data);
        await using var server = await ServerProcess.StartAsync(data, null, null, "--config", config);
        using var client = Client(server, token);
        await DeployFileAsync(client, null, "warm", "dev");
        var before = server.PeakRss();
        var elapsed = await TimeAsync(() => PostAsync(client, new BenchBundles.HugeTar(size), "huge", "dev"));
        var after = server.PeakRss();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size >> 20} MiB upload: {elapsed.TotalSeconds:F1} s ({size / elapsed.TotalSeconds / (1 << 20):F0} MiB/s); server peak RSS {before >> 20} MiB before, {after >> 20} MiB after (+{(after - before) >> 20} MiB)"));
    }

    private static async Task MeasureConcurrencyAsync(string root, int count)
    {
        var small = Path.Combine(root, "small.tar");
        BenchBundles.WriteManyFiles(small, 50, 200 << 10, seed: 2);
        var data = Path.Combine(root, "data-many");
        var token = ServerProcess.Run("token", "issue-root", "--data", data);
        await using var server = await ServerProcess.StartAsync(data);
        using var client = Client(server, token);
        await DeployFileAsync(client, small, "warm", "dev");
        var sequential = await TimeAsync(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await DeployFileAsync(client, small, $"seq{i}", "dev");
            }
        });
        var concurrent = await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, count).Select(i => DeployFileAsync(client, small, $"par{i}", "dev"))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} deploys (50 files, 200 KiB each): one after another {sequential.TotalSeconds:F2} s ({count / sequential.TotalSeconds:F1}/s), concurrent {concurrent.TotalSeconds:F2} s ({count / concurrent.TotalSeconds:F1}/s), speed-up x{sequential / concurrent:F2}"));
    }

    /// <summary>The deploy as <c>curl --data-binary @bundle</c> sends it (a child: its CPU time counts as the client's).</summary>
    private static Task CurlDeployAsync(ServerProcess server, string token, string bundle) => Task.Run(() =>
    {
        var events = Measure.Run("curl", "-sS", "-f", "--data-binary", "@" + bundle, "-H", "Authorization: Bearer " + token,
            "-H", "Content-Type: application/x-tar", new Uri(server.BaseAddress, "api/v1/deploys?project=bench&deployment=dev").ToString());
        if (!events.Contains("\"status\":\"succeeded\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"curl deploy did not succeed: {events[^Math.Min(events.Length, 400)..]}");
        }
    });

    /// <summary>POSTs <paramref name="bundle"/> (null: a one-file tar) to the v1 deploy endpoint and fails unless it succeeded.</summary>
    internal static async Task DeployFileAsync(HttpClient client, string? bundle, string project, string deployment)
    {
        if (bundle is null)
        {
            using var tiny = new MemoryStream();
            using (var writer = new System.Formats.Tar.TarWriter(tiny, leaveOpen: true))
            {
                writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "init.sls") { DataStream = new MemoryStream("x: y\n"u8.ToArray()) });
            }

            await PostAsync(client, new ByteArrayContent(tiny.ToArray()), project, deployment);
            return;
        }

        await using var file = File.OpenRead(bundle);
        await PostAsync(client, new StreamContent(file, 1 << 20), project, deployment);
    }

    private static async Task PostAsync(HttpClient client, HttpContent content, string project, string deployment)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await client.PostAsync(new Uri($"api/v1/deploys?project={project}&deployment={deployment}", UriKind.Relative), content);
        var events = await response.Content.ReadAsStringAsync();
        if (!events.Contains("\"status\":\"succeeded\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"deploy of {project}/{deployment} did not succeed: {events[^Math.Min(events.Length, 400)..]}");
        }
    }

    internal static HttpClient Client(ServerProcess server, string token)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The baseline: <c>tar -x</c> of the bundle into an empty directory (everything synced before the
    /// clock starts, as before a measured deploy), plus <c>sync -f</c> when <paramref name="sync"/>.
    /// </summary>
    private static async Task TarAsync(Samples samples, string bundle, string root, string directory, bool sync)
    {
        Measure.Run("sync", "-f", root);
        samples.Add(await Measure.TimeWithCpuAsync(() => Task.Run(() =>
        {
            Measure.Run("tar", "-xf", bundle, "-C", directory);
            if (sync)
            {
                Measure.Run("sync", "-f", directory);
            }
        })));
    }

    /// <summary>Wall time of a deploy and the CPU time it cost: the server's (a child process) plus this process's (the client's side).</summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeWithCpuAsync(ServerProcess server, Func<Task> deploy)
    {
        var before = server.CpuTime();
        var (wall, cpu) = await Measure.TimeWithCpuAsync(deploy);
        return (wall, cpu + (server.CpuTime() - before));
    }

    private static (string Crt, string Key) WriteCertificate(string root)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var crt = Path.Combine(root, "server.crt");
        var key = Path.Combine(root, "server.key");
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (crt, key);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }

    private static void MakeWritable(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            if (OperatingSystem.IsLinux() && entry.LinkTarget is null)
            {
                entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            }
        }
    }
}
