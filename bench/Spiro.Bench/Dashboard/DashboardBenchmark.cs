using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Testing.Store;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Tokens;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Queries;
using Spiro.Dashboard.Sessions;

namespace Spiro.Bench.Dashboard;

/// <summary>
/// <c>dashboard</c>: server-side render time of the overview page (its query plus the HTML) over N
/// live saltenvs, alternated with a baseline measured in the same run: what <c>GET /api/v1/saltenvs</c>
/// does for the same saltenvs (list them, serialise JSON). Goal: the overview under 100 ms at 1,000.
/// </summary>
internal sealed class DashboardBenchmark : IScenario
{
    public string Name => "dashboard";

    public string Description => "overview page render (query + HTML) over --saltenvs N (1000) vs the v1 saltenv listing, alternated, --rounds R (21)";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var count = (int)args.GetLong("saltenvs", 1000);
        var rounds = (int)args.GetLong("rounds", 21);
        var root = Directory.CreateTempSubdirectory("spiro-bench-dashboard-").FullName;
        try
        {
            var store = ReleaseStore.Open(new StoreOptions { DataDirectory = Path.Combine(root, "data") }, TimeProvider.System);
            var deploys = new DeployLog(store.Database, TimeProvider.System);
            var populate = await Measure.TimeAsync(() => ManySaltEnvs.PopulateAsync(store, deploys, count));
            Console.WriteLine($"populated {count} saltenvs in {Measure.Ms(populate)}; load average {File.ReadAllText("/proc/loadavg").Trim()}");

            var overview = new OverviewQuery(new ReleaseContents(store), deploys, new HighstateResultStore(store.Database));
            var token = new TokenRecord("0123456789abcdef", "bench", "", TokenScope.Root, DateTimeOffset.UtcNow, null, null, null, null);
            var viewer = new Viewer(token, new DashboardSession(token.Id, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
            var context = new PageContext(viewer, "csrf-token");
            var pageBytes = 0;
            var rows = 0;
            string Overview()
            {
                var found = overview.Rows(viewer, null);
                rows = found.Count;
                var html = OverviewPage.Render(context, found, null);
                pageBytes = html.Length;
                return html;
            }

            string Baseline() => JsonSerializer.Serialize(store.Deployments()
                .Select(d => new { saltenv = d.SaltEnv.ToString(), project = d.SaltEnv.Project, deployment = d.SaltEnv.Deployment, live_release = d.LiveRelease, published_at = d.PublishedAt, published_by = d.PublishedBy })
                .ToList());

            for (var i = 0; i < 3; i++)
            {
                Overview();
                Baseline();
            }

            var page = new List<double>();
            var api = new List<double>();
            var query = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                // Alternate which goes first so drift (page cache, GC, CPU frequency) hits both alike.
                if (i % 2 == 0)
                {
                    page.Add(Time(() => Overview()));
                    api.Add(Time(() => Baseline()));
                    query.Add(Time(() => overview.Rows(viewer, null)));
                }
                else
                {
                    query.Add(Time(() => overview.Rows(viewer, null)));
                    api.Add(Time(() => Baseline()));
                    page.Add(Time(() => Overview()));
                }
            }

            Console.WriteLine($"overview page: {rows} rows, {pageBytes / 1024} KiB of HTML");
            Report("overview (query + HTML)", page);
            Report("  of which the query", query);
            Report("baseline (v1 listing + JSON)", api);
            var ratio = Median(page) / Median(api);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio overview/baseline (medians): {ratio:0.00}"));
            var goal = Median(page) < 100;
            Console.WriteLine(goal ? "goal met: overview under 100 ms" : "goal MISSED: overview at or over 100 ms");
            return goal ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var directory in new DirectoryInfo(root).EnumerateDirectories("*", SearchOption.AllDirectories))
            {
                if (OperatingSystem.IsLinux() && directory.LinkTarget is null)
                {
                    directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                }
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Report(string name, List<double> values) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} median {Median(values),7:0.0} ms  min {values.Min(),7:0.0}  max {values.Max(),7:0.0}  (n={values.Count})"));
}
