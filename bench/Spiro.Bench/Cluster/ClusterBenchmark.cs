using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Spiro.Cluster.Metadata;
using Spiro.Core.Tokens;
using Spiro.Testing.Services;
using Spiro.Testing.Tars;

namespace Spiro.Bench.Cluster;

/// <summary>
/// <c>./build.sh bench cluster</c> (docs/cluster.md): on a real PostgreSQL and a real radosgw
/// (started here, as the cluster tests do), the deploy of the 200 MB / 20k-file bundle through a
/// cluster of one master against the same deploy through one of two masters (it finishes only once
/// the second serves it), alternated, each run on a fresh database and bucket; then how long a
/// master that missed 100 releases takes from start to listening, against its start with nothing missed.
/// </summary>
internal sealed class ClusterBenchmark : IScenario
{
    public string Name => "cluster";

    public string Description => "cluster mode: deploy through one master vs two (ratio), catch-up of a master that missed 100 releases [--quick] [--runs N] [--work DIR] [--catch-up-only]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Has("quick");
        var runs = (int)args.GetLong("runs", 3);
        var files = quick ? 2_000 : 20_000;
        var bytes = quick ? 20L << 20 : 200L << 20;
        var root = Directory.CreateDirectory(Path.Combine(args.Get("work") ?? Path.GetTempPath(), $"spiro-bench-cluster-{Environment.ProcessId}")).FullName;
        await using var postgres = await PostgresServer.StartAsync();
        await using var ceph = await CephGateway.StartAsync();
        try
        {
            if (args.Has("catch-up-only"))
            {
                Console.WriteLine($"PostgreSQL {postgres.Binaries}, radosgw {ceph.Endpoint}; {runs} alternated runs; {Samples.Load()}");
                await CatchUpAsync(postgres, ceph, root, runs);
                Console.WriteLine(Samples.Load());
                return 0;
            }

            var bundle = Path.Combine(root, "bundle.tar");
            BenchBundles.WriteManyFiles(bundle, files, bytes, seed: 1);
            var warmUp = Path.Combine(root, "warm-up.tar");
            BenchBundles.WriteManyFiles(warmUp, files / 20, bytes / 20, seed: 3);
            Console.WriteLine($"bundle: {files} files, {bytes >> 20} MiB; PostgreSQL {postgres.Binaries}, radosgw {ceph.Endpoint}; {runs} alternated runs, each on a fresh database and bucket after an untimed warm-up deploy; {Samples.Load()}");

            var one = new Samples("deploy, cluster of one master");
            var two = new Samples("deploy, cluster of two (waits for both)");
            var steps = new List<Func<Task>> { () => DeployAsync(postgres, ceph, root, bundle, warmUp, masters: 1, one), () => DeployAsync(postgres, ceph, root, bundle, warmUp, masters: 2, two) };
            for (var run = 0; run < runs; run++)
            {
                foreach (var step in run % 2 == 0 ? steps : Enumerable.Reverse(steps).ToList())
                {
                    await step();
                }
            }

            Console.WriteLine($"{one.Name,-45} {one}");
            Console.WriteLine($"{two.Name,-45} {two}  {two.RatioTo(one)} of one master");
            Console.WriteLine(Samples.Load());
            await CatchUpAsync(postgres, ceph, root, runs);
            Console.WriteLine(Samples.Load());
            return 0;
        }
        finally
        {
            MakeWritable(root);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task DeployAsync(PostgresServer postgres, CephGateway ceph, string root, string bundle, string warmUp, int masters, Samples samples)
    {
        var (database, token) = await FreshDatabaseAsync(postgres);
        var bucket = "bench-" + Guid.NewGuid().ToString("N")[..16];
        var servers = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < masters; i++)
            {
                servers.Add(await StartMasterAsync(ceph, root, database, bucket, $"m{i}-{Guid.NewGuid():N}"[..12]));
            }

            using var client = Client(servers[0], token);
            await DeployAsync(client, warmUp, "warm", "dev");
            Measure.Run("sync", "-f", root);
            var clock = Stopwatch.StartNew();
            await DeployAsync(client, bundle, "bench", "dev");
            samples.Add(clock.Elapsed);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    // Two masters stopped while 100 releases are deployed (100 saltenvs, 20 files each), then
    // started one after the other (order alternated per run): from start to listening each catches
    // up with all of them, one at cluster.objects.parallelism 1 (one saltenv, one object at a time:
    // as before parallel following) and one at the default 8 (4 saltenvs at once, 8 objects each).
    // Baseline: a start with nothing missed.
    private static async Task CatchUpAsync(PostgresServer postgres, CephGateway ceph, string root, int runs)
    {
        var serial = new Samples("start, missed 100 releases, parallelism 1");
        var parallel = new Samples("start, missed 100 releases, parallelism 8");
        var none = new Samples("start of a master that missed none");
        for (var run = 0; run < runs; run++)
        {
            var (database, token) = await FreshDatabaseAsync(postgres);
            var bucket = "catch-" + Guid.NewGuid().ToString("N")[..16];
            await using var a = await StartMasterAsync(ceph, root, database, bucket, $"a{run}");
            var followers = new List<(string Name, string Data, string Parallelism, Samples Samples)>
            {
                ($"s{run}", Path.Combine(root, $"catch-s{run}"), "1", serial),
                ($"p{run}", Path.Combine(root, $"catch-p{run}"), "8", parallel),
            };
            var running = new List<ServerProcess>();
            foreach (var (name, data, fetch, _) in followers)
            {
                running.Add(await StartMasterAsync(ceph, root, database, bucket, name, data, fetch));
            }

            using var client = Client(a, token);
            await DeployAsync(client, Small(0), "warm", "dev");
            foreach (var follower in running)
            {
                await follower.DisposeAsync();
            }

            for (var i = 0; i < 100; i++)
            {
                await DeployAsync(client, Small(i + 1), "miss", $"d{i:D3}");
            }

            foreach (var (name, data, fetch, samples) in run % 2 == 0 ? followers : Enumerable.Reverse(followers).ToList())
            {
                Measure.Run("sync", "-f", root);
                var clock = Stopwatch.StartNew();
                var b = await StartMasterAsync(ceph, root, database, bucket, name, data, fetch);
                samples.Add(clock.Elapsed);
                await b.DisposeAsync();
                if (Directory.GetDirectories(Path.Combine(data, "releases")).Length < 101)
                {
                    throw new InvalidOperationException($"master {name} did not catch up with the 100 releases before listening");
                }
            }

            Measure.Run("sync", "-f", root);
            var again = Stopwatch.StartNew();
            var (lastName, lastData, lastFetch, _) = followers[run % 2];
            await (await StartMasterAsync(ceph, root, database, bucket, lastName, lastData, lastFetch)).DisposeAsync();
            none.Add(again.Elapsed);
        }

        Console.WriteLine($"{none.Name,-50} {none}");
        foreach (var missed in new[] { serial, parallel })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{missed.Name,-50} {missed}  catch-up {(missed.Median - none.Median).TotalSeconds:0.00} s over the baseline ({missed.RatioTo(none)})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"catch-up, parallelism 8 against 1",-50} {(parallel.Median - none.Median).TotalSeconds / (serial.Median - none.Median).TotalSeconds:0.00}x the time"));
    }

    private static string Small(int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"spiro-bench-cluster-small-{Environment.ProcessId}-{seed}.tar");
        if (!File.Exists(path))
        {
            TestTar.WriteFile(path, Enumerable.Range(0, 20).Select(i => KeyValuePair.Create($"s/f{i}.sls", $"seed: {seed}\nfile: {i}\n{new string('x', 4000)}\n")));
        }

        return path;
    }

    private static async Task<(string Database, string Token)> FreshDatabaseAsync(PostgresServer postgres)
    {
        var database = await postgres.CreateDatabaseAsync();
        using var metadata = PostgresMetadataDatabase.OpenDatabase(database);
        return (database, new TokenStore(metadata, TimeProvider.System).Issue(new TokenRequest(TokenScope.Root, "bench", null, null)).Token);
    }

    private static async Task<ServerProcess> StartMasterAsync(CephGateway ceph, string root, string database, string bucket, string name, string? data = null, string parallelism = "8")
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "masters", name)).FullName;
        var secret = Path.Combine(directory, "s3.secret");
        await File.WriteAllTextAsync(secret, CephGateway.SecretKey + "\n");
        var config = Path.Combine(directory, "serve.yaml");
        await File.WriteAllTextAsync(config, $"""
            cluster:
              database: "{database}"
              objects:
                endpoint: {ceph.Endpoint}
                bucket: {bucket}
                access_key: {CephGateway.AccessKey}
                secret_key_file: {secret}
                parallelism: {parallelism}
              name: {name}
              apply_timeout: 30m
            """);
        return await ServerProcess.StartAsync(data ?? Path.Combine(directory, "data"), null, null, "--config", config);
    }

    private static async Task DeployAsync(HttpClient client, string bundle, string project, string deployment)
    {
        await using var file = File.OpenRead(bundle);
        using var content = new StreamContent(file, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await client.PostAsync(new Uri($"api/v1/deploys?project={project}&deployment={deployment}&highstate=false", UriKind.Relative), content);
        var events = await response.Content.ReadAsStringAsync();
        if (!events.Contains("\"status\":\"succeeded\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"deploy of {project}/{deployment} did not succeed: {events[^Math.Min(events.Length, 400)..]}");
        }
    }

    private static HttpClient Client(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static void MakeWritable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateDirectories("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
    }
}
