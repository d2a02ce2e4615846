using System.CommandLine;
using System.Globalization;
using Spiro.Cli.Releases;
using Spiro.Cluster;
using Spiro.Cluster.Import;
using Spiro.Core.Releases.Layout;

namespace Spiro.Cli.Cluster;

/// <summary>
/// <c>spiro cluster import --config FILE --data DIR [--dry-run]</c>: moves a stopped single master's
/// store into an empty cluster, objects into the bucket first, then every row of <c>spiro.db</c>,
/// the kept manifests and the live pointers into PostgreSQL in one transaction (docs/cluster.md).
/// </summary>
internal static class ClusterImportCommand
{
    public static Command Create()
    {
        var config = ClusterCommand.ConfigOption();
        var data = StoreCli.DataOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be imported and check it can be; change nothing (no upload, no row)." };
        var command = new Command(
            "import",
            "Move a single master's store (stopped) into an empty cluster: its objects into the bucket, then its releases, history, pointers, "
            + "tokens, deploys, plans, settings and audit log into PostgreSQL in one transaction. A rerun after success changes nothing.")
        { config, data, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ClusterConfig.Read(parse, parse.GetValue(config)!) is not { } options)
            {
                return ExitCodes.Usage;
            }

            // As every store verb reads --config (docs/cli.md): a given --data, then SPIRO_DATA, then the file's data.
            var directory = ConfigCli.DataGiven(parse)
                ? parse.GetValue(data)!
                : Environment.GetEnvironmentVariable(StoreCli.DataVariable) is { Length: > 0 } fromEnv ? fromEnv : options.Data;
            if (!Directory.Exists(Path.Combine(directory, "objects")) || !File.Exists(DataDirectoryNames.DatabaseIn(directory)))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, $"error: no SpiroFS store (objects/ and spiro.db) in {directory} (use --data DIR or set {StoreCli.DataVariable})");
            }

            using var cluster = await ClusterConfig.OpenAsync(parse, options, cancellationToken);
            if (cluster is null)
            {
                return ExitCodes.Failure;
            }

            ImportOutcome outcome;
            try
            {
                outcome = await new ClusterImport(cluster, TimeProvider.System).RunAsync(directory, $"cli:{Environment.UserName}", parse.GetValue(dryRun), cancellationToken);
            }
            catch (ClusterUnavailableException exception)
            {
                return StoreCli.Fail(parse, ExitCodes.Failure, $"error: {exception.Message}");
            }

            var output = parse.InvocationConfiguration.Output;
            switch (outcome)
            {
                case ImportOutcome.Imported imported:
                    output.WriteLine($"imported {imported.Summary.ObjectsUploaded} objects into {cluster.Content.Location}; {imported.Summary.ObjectsPresent} were there already");
                    Describe(output, "imported", imported.Summary);
                    return ExitCodes.Ok;
                case ImportOutcome.WouldImport would:
                    output.WriteLine($"dry run, nothing changed: would upload {would.Summary.ObjectsUploaded} of the {would.Summary.Objects} objects the releases name into {cluster.Content.Location}; {would.Summary.ObjectsPresent} are there already");
                    Describe(output, "would import", would.Summary);
                    return ExitCodes.Ok;
                case ImportOutcome.AlreadyImported done:
                    output.WriteLine($"already imported, nothing changed: {done.Detail}");
                    return ExitCodes.Ok;
                case ImportOutcome.Refused refused:
                    return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: cannot import {directory}: {refused.Reason}");
                default:
                    throw new InvalidOperationException(outcome.ToString());
            }
        });
        return command;
    }

    private static void Describe(TextWriter output, string verb, ImportSummary summary)
    {
        string Count(string table) => summary.Rows.TryGetValue(table, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "0";
        output.WriteLine($"{verb} {summary.Source} into {summary.Target}:");
        output.WriteLine($"  releases {Count("releases")} ({summary.Manifests} manifests kept for the masters), history {Count("release_history")}, plans {Count("plans")}");
        output.WriteLine($"  tokens {Count("tokens")}, deploys {Count("deploys")} ({Count("deploy_events")} events), highstate results {Count("highstate_results")}, settings {Count("settings")}");
        output.WriteLine($"  audit log rows 1-{summary.AuditHeadSeq} as they are (chain head {summary.AuditHeadHash}), then one row recording the import");
        foreach (var (saltEnv, release) in summary.Live)
        {
            output.WriteLine($"  saltenv {saltEnv}: {release}");
        }
    }
}
