using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Cluster;

namespace Spiro.Cli.Cluster;

/// <summary><c>spiro cluster status --config FILE [--json]</c>: the masters registered in the shared database.</summary>
internal static class ClusterStatusCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var json = StoreCli.JsonOption();
        var command = new Command("status", "List the masters that use the cluster's database: name, host, data directory, last start.") { config, json };
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

            var masters = new MasterRegistry(cluster.Metadata).Masters();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(masters.Select(m => new Dictionary<string, string>
                {
                    ["name"] = m.Name,
                    ["host"] = m.Host,
                    ["data"] = m.Data,
                    ["started_at"] = m.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                })));
                return ExitCodes.Ok;
            }

            output.WriteLine($"database: {cluster.Metadata.Location}");
            output.WriteLine($"objects:  {cluster.Content.Location}");
            foreach (var master in masters)
            {
                output.WriteLine($"{master.Name}\t{master.Host}\t{master.Data}\tstarted {master.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
