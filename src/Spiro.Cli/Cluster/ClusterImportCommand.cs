using System.CommandLine;
using Spiro.Cli.Releases;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>spiro cluster import --config FILE --data DIR</c>: copies every object of a single master's
/// data directory into the cluster's bucket (conditional puts: what is there already is left alone),
/// the first step of moving an existing store into a cluster (docs/cluster.md).
/// </summary>
internal static class ClusterImportCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var data = StoreCli.DataOption();
        var command = new Command("import", "Copy every stored file content of a data directory into the cluster's bucket.") { config, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterConfig.Read(parse, parse.GetValue(config)!) is not { } options)
            {
                return ExitCodes.Usage;
            }

            var directory = parse.GetValue(data)!;
            var objects = Path.Combine(directory, "objects");
            if (!Directory.Exists(objects))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, $"error: no SpiroFS objects in {directory} (use --data DIR or set {StoreCli.DataVariable})");
            }

            using var cluster = await ClusterConfig.OpenAsync(parse, options, cancellationToken);
            if (cluster is null)
            {
                return ExitCodes.Failure;
            }

            var result = await ObjectImport.RunAsync(objects, cluster.Content, cancellationToken);
            parse.InvocationConfiguration.Output.WriteLine($"imported {result.Uploaded} objects into {cluster.Content.Location}; {result.Present} were there already");
            return ExitCodes.Ok;
        });
        return command;
    }
}
