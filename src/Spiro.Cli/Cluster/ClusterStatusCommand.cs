using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>spiro cluster status --config FILE [--json]</c>: the cluster's pointer of every saltenv and,
/// per master, whether it is live and what it serves in each saltenv: behind or not, since when,
/// and why it could not follow (docs/cluster.md).
/// </summary>
internal static class ClusterStatusCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var json = StoreCli.JsonOption();
        var command = new Command("status", "Show the cluster: every saltenv's release, and per master whether it is live and what it serves (behind, lag, error).") { config, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterConfig.Read(parse, parse.GetValue(config)!) is not { } options)
            {
                return ExitCodes.Usage;
            }

            using var cluster = await ClusterConfig.OpenAsync(parse, options, cancellationToken);
            if (cluster is null)
            {
                return ExitCodes.Failure;
            }

            var state = new ClusterState(cluster.Metadata);
            var pointers = state.Pointers();
            var masters = Masters(new MasterRegistry(cluster.Metadata), pointers, state.Applied());
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                WriteJson(output, cluster, pointers, masters);
            }
            else
            {
                WriteText(output, cluster, pointers, masters);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Per master, what it serves in each saltenv the cluster has a pointer for.</summary>
    private static List<MasterStatus> Masters(MasterRegistry registry, IReadOnlyList<PointerState> pointers, IReadOnlyList<AppliedState> applied)
    {
        var now = registry.Now();
        return registry.Masters().Select(m => new MasterStatus(m, m.LiveAt(now, MasterRegistry.LiveWindow), pointers.Select(p =>
        {
            var row = applied.FirstOrDefault(a => a.Master == m.Name && a.SaltEnv == p.SaltEnv);
            var behind = row is null || row.Version < p.Version;
            return new ServingStatus(p.SaltEnv, row?.Version > 0 ? row.ReleaseId : null, behind, behind ? now - p.ChangedAt : TimeSpan.Zero, row?.ErrorAbout(p.Version));
        }).ToList())).ToList();
    }

    private static void WriteJson(TextWriter output, ClusterStorage cluster, IReadOnlyList<PointerState> pointers, List<MasterStatus> masters) =>
        output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["database"] = cluster.Metadata.Location,
            ["objects"] = cluster.Content.Location,
            ["saltenvs"] = pointers.Select(p => new Dictionary<string, object?>
            {
                ["saltenv"] = p.SaltEnv,
                ["release"] = p.ReleaseId,
                ["version"] = p.Version,
                ["changed_at"] = WireTime.Format(p.ChangedAt),
                ["changed_by"] = p.ChangedBy,
            }),
            ["masters"] = masters.Select(m => new Dictionary<string, object?>
            {
                ["name"] = m.Master.Name,
                ["host"] = m.Master.Host,
                ["data"] = m.Master.Data,
                ["started_at"] = WireTime.Format(m.Master.StartedAt),
                ["seen_at"] = WireTime.Format(m.Master.SeenAt),
                ["live"] = m.Live,
                ["saltenvs"] = m.Serving.Select(s => new Dictionary<string, object?>
                {
                    ["saltenv"] = s.SaltEnv,
                    ["serves"] = s.Serves,
                    ["behind"] = s.Behind,
                    ["lag_seconds"] = Math.Round(s.Lag.TotalSeconds, 1),
                    ["error"] = s.Error,
                }),
            }),
        }));

    private static void WriteText(TextWriter output, ClusterStorage cluster, IReadOnlyList<PointerState> pointers, List<MasterStatus> masters)
    {
        output.WriteLine($"database: {cluster.Metadata.Location}");
        output.WriteLine($"objects:  {cluster.Content.Location}");
        foreach (var pointer in pointers)
        {
            output.WriteLine($"saltenv {pointer.SaltEnv}: {pointer.ReleaseId ?? "deleted"} (changed by {pointer.ChangedBy} at {pointer.ChangedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})");
        }

        foreach (var master in masters)
        {
            output.WriteLine($"master {master.Master.Name}\t{(master.Live ? "live" : "not live")}\t{master.Master.Host}\t{master.Master.Data}\tstarted {master.Master.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
            foreach (var serving in master.Serving)
            {
                var lag = serving.Behind ? $"behind for {serving.Lag.TotalSeconds:0.#} s" : "up to date";
                output.WriteLine($"  {serving.SaltEnv}\tserves {serving.Serves ?? "nothing"}\t{lag}{(serving.Error is { } error ? $"\t({error})" : "")}");
            }
        }
    }

    private sealed record MasterStatus(MasterRecord Master, bool Live, IReadOnlyList<ServingStatus> Serving);

    private sealed record ServingStatus(string SaltEnv, string? Serves, bool Behind, TimeSpan Lag, string? Error);
}
