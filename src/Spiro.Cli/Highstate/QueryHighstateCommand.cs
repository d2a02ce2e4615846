using System.CommandLine;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Cli.Cluster;
using Spiro.Cli.Releases;
using Spiro.Cli.Salt;
using Spiro.Salt;

namespace Spiro.Cli.Highstate;

/// <summary><c>spiro query-highstate P/D</c>: which minions a highstate would touch, and the live release's stored results.</summary>
internal static class QueryHighstateCommand
{
    public static Command Create()
    {
        var saltEnv = new Argument<string>("saltenv") { Description = "PROJECT/DEPLOYMENT" };
        var data = StoreCli.DataOption();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var saltCommand = SaltCli.CommandOption();
        var saltConfigDir = SaltCli.ConfigDirOption();
        var command = new Command(
            "query-highstate",
            "Show which minions' top data lists a saltenv, and the live release's highstate results. "
            + "With --config, Salt and the data directory are that master's; in a cluster the results are the cluster's (PostgreSQL).")
        {
            saltEnv, data, json, saltCommand, saltConfigDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (ConfigCli.Resolve(parse, parse.GetValue(data)!, out var exitCode) is not { } target)
            {
                return exitCode;
            }

            using var cluster = target.Cluster;
            var name = SaltEnvName.TryParse(parse.GetValue(saltEnv), out var problem);
            var salt = SaltCli.Options(parse, saltCommand, saltConfigDir, target.Settings);
            problem ??= salt.Validate();
            if (name is null || problem is not null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"spiro query-highstate: {problem}");
                return ExitCodes.Usage;
            }

            var orchestrator = new HighstateOrchestrator(new SaltCliClient(salt), salt.ToHighstateOptions(), results: null, TimeProvider.System);
            var report = await new HighstateQuery(orchestrator, target.Data, cluster?.Metadata).RunAsync(name, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(parse.GetValue(json) ? HighstateReportView.Json(report) + "\n" : HighstateReportView.Text(report));
            if (report.ShowTop is ShowTopResult.Failed failed && !parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"spiro query-highstate: {failed.Message}");
            }

            return report.ShowTop is ShowTopResult.Failed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
