using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Npgsql;
using Spiro.Cli.Releases;
using Spiro.Cluster;
using Spiro.Cluster.Objects;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>spiro cluster verify --config FILE [--json]</c>: reads every object the cluster's manifests
/// name or <c>cluster_objects</c> records for the bucket and checks its sha256 (docs/cluster.md); names the missing and damaged ones with the releases that
/// need them and exits 1, so they can be put right (<c>spiro cluster repair</c>) before a master needs them.
/// </summary>
internal static class ClusterVerifyCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var json = StoreCli.JsonOption();
        var command = new Command("verify", "Read every object the cluster's manifests name (or records as stored) and check it hashes to its key; name the missing and damaged ones (exit 1).") { config, json };
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

            ScanOutcome outcome;
            try
            {
                outcome = await BucketScan.RunAsync(cluster.Metadata, cluster.Content, cancellationToken);
            }
            catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
            {
                return StoreCli.Fail(parse, ExitCodes.Failure, $"error: cluster.objects: cannot read the objects of {cluster.Content.Location}: {exception.Message}");
            }
            catch (NpgsqlException exception)
            {
                return StoreCli.Fail(parse, ExitCodes.Failure, $"error: cluster.database: cannot use PostgreSQL: {exception.Message}");
            }
            catch (ClusterUnavailableException exception)
            {
                return StoreCli.Fail(parse, ExitCodes.Failure, $"error: {exception.Message}");
            }

            if (parse.GetValue(json))
            {
                WriteJson(parse.InvocationConfiguration.Output, outcome);
            }

            return Report(parse, outcome, cluster.Content.Location, text: !parse.GetValue(json));
        });
        return command;
    }

    private static void WriteJson(TextWriter output, ScanOutcome outcome) =>
        output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["checked"] = outcome.Checked,
            ["bytes"] = outcome.Bytes,
            ["problems"] = outcome.Problems.Select(p => new Dictionary<string, object?>
            {
                ["sha256"] = p.Sha256,
                ["missing"] = p.Missing,
                ["releases"] = p.Releases,
            }),
        }));

    // The lines on stdout only without --json; the closing error (stderr) and the exit code either way.
    private static int Report(ParseResult parse, ScanOutcome outcome, string location, bool text)
    {
        var summary = string.Create(CultureInfo.InvariantCulture, $"checked {outcome.Checked} objects named by {outcome.Manifests} manifests or recorded as stored in {location} ({outcome.Bytes / 1048576.0:0.0} MiB)");
        var output = parse.InvocationConfiguration.Output;
        if (outcome.Problems.Count == 0)
        {
            if (text)
            {
                output.WriteLine($"{summary}: every one hashes to its key");
            }

            return ExitCodes.Ok;
        }

        foreach (var problem in text ? outcome.Problems : [])
        {
            var naming = problem.Releases.Count == 0 ? "recorded in cluster_objects, named by no release" : "named by " + string.Join(", ", problem.Releases);
            output.WriteLine($"{(problem.Missing ? "missing" : "corrupt")} {problem.Sha256}: {(problem.Missing ? "not in the bucket" : "its bytes do not hash to its key")} ({naming})");
        }

        return StoreCli.Fail(parse, ExitCodes.Rejected,
            $"error: {summary}: {outcome.Problems.Count(p => p.Missing)} missing, {outcome.Problems.Count(p => !p.Missing)} corrupt; "
            + "put them right with spiro cluster repair --config FILE --data DIR SHA... on a master that has them (the one that published the release)");
    }
}
