using System.CommandLine;
using Amazon.Runtime;
using Spiro.Cli.Releases;
using Spiro.Cluster.Objects;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>spiro cluster repair --config FILE [--data DIR] SHA...</c>: replaces objects of the bucket whose
/// bytes do not hash to their key (a follower's error names them) with this master's verified
/// copies (docs/cluster.md). Run it on a master that has the content: the one that published the release.
/// </summary>
internal static class ClusterRepairCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var data = StoreCli.DataOption();
        var objects = new Argument<string[]>("sha256") { Description = "The content keys to repair (64 hex digits each), as a follower's error names them.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("repair", "Replace objects of the bucket that do not hash to their key with this master's verified copies.") { config, data, objects };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var keys = parse.GetValue(objects)!;
            if (keys.FirstOrDefault(k => !ContentKey.IsValid(k)) is { } bad)
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, $"error: '{bad}' is not a sha256 content key (64 lower-case hex digits)");
            }

            if (ClusterConfig.Read(parse, parse.GetValue(config)!) is not { } options)
            {
                return ExitCodes.Usage;
            }

            using var cluster = await ClusterConfig.OpenAsync(parse, options, cancellationToken);
            if (cluster is null)
            {
                return ExitCodes.Failure;
            }

            var directory = Path.GetFullPath(parse.GetValue(data)!);
            var exit = ExitCodes.Ok;
            foreach (var sha in keys)
            {
                RepairOutcome outcome;
                try
                {
                    outcome = await ObjectRepair.RepairAsync(cluster.Content, Path.Combine(directory, "objects"), sha, Path.GetTempPath(), cancellationToken);
                }
                catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
                {
                    return StoreCli.Fail(parse, ExitCodes.Failure, $"error: cluster.objects: cannot repair object {sha} in {cluster.Content.Location}: {exception.Message}");
                }

                exit = Math.Max(exit, Report(parse, outcome, sha, directory, cluster.Content.Location));
            }

            return exit;
        });
        return command;
    }

    private static int Report(ParseResult parse, RepairOutcome outcome, string sha, string directory, string location)
    {
        switch (outcome)
        {
            case RepairOutcome.Replaced:
                parse.InvocationConfiguration.Output.WriteLine($"replaced object {sha} in {location} with the verified copy from {directory}");
                return ExitCodes.Ok;
            case RepairOutcome.AlreadyGood:
                parse.InvocationConfiguration.Output.WriteLine($"object {sha} in {location} hashes to its key: nothing to do");
                return ExitCodes.Ok;
            case RepairOutcome.NoLocalCopy:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: {directory} has no copy of object {sha}: run this on a master that has it (the one that published the release)");
            default:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: the copy of object {sha} in {directory} does not hash to its key either: nothing was written");
        }
    }
}
