using System.CommandLine;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Salt;

namespace Spiro.Cli.Highstate;

/// <summary><c>spiro query-highstate P/D</c>: which minions a highstate would touch, and the live release's stored results.</summary>
internal static class QueryHighstateCommand
{
    public static Command Create()
    {
        var saltEnv = new Argument<string>("saltenv") { Description = "PROJECT/DEPLOYMENT" };
        var data = new Option<string?>("--data") { Description = $"Data directory (env SPIRO_DATA; default {StoreOptions.DefaultDataDirectory})." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var saltCommand = new Option<string?>("--salt-command") { Description = "The salt executable (default: salt on PATH)." };
        var saltConfigDir = new Option<string?>("--salt-config-dir") { Description = "Salt's config directory (salt -c)." };
        var command = new Command("query-highstate", "Show which minions' top data lists a saltenv, and the live release's highstate results.")
        {
            saltEnv, data, json, saltCommand, saltConfigDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = SaltEnvName.TryParse(parse.GetValue(saltEnv), out var problem);
            var salt = new SaltOptions { Command = parse.GetValue(saltCommand) ?? SaltOptions.DefaultCommand, ConfigDirectory = parse.GetValue(saltConfigDir) };
            problem ??= salt.Validate();
            if (name is null || problem is not null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"spiro query-highstate: {problem}");
                return ExitCodes.Usage;
            }

            var directory = parse.GetValue(data) ?? (Environment.GetEnvironmentVariable("SPIRO_DATA") is { Length: > 0 } env ? env : StoreOptions.DefaultDataDirectory);
            var orchestrator = new HighstateOrchestrator(new SaltCliClient(salt), salt.ToHighstateOptions(), results: null, TimeProvider.System);
            var report = await new HighstateQuery(orchestrator, directory).RunAsync(name, cancellationToken);
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
