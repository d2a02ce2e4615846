using System.CommandLine;
using Spiro.Core.Deploys;
using Spiro.Core.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro deploys P/D [--limit N] [--json]</c>: the saltenv's newest deploys through the server, newest first.</summary>
internal static class DeploysCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var limit = StoreCli.LimitOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT.");
        var command = new Command("deploys", $"List the newest deploys of a saltenv (default {DeployLog.DefaultListLimit}), newest first, with their status.") { saltEnvArgument, data, json, limit };
        command.SetAction(parse =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var deploys = new DeployLog(store.Database, TimeProvider.System)
                .Recent(saltEnv.ToString(), parse.GetValue(limit) ?? DeployLog.DefaultListLimit)
                .Select(ResourceViews.Deploy)
                .ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                ReleaseJson.Print(output, deploys);
            }
            else
            {
                TextTable.Write(
                    output,
                    ["DEPLOY", "CREATED", "STATUS", "RELEASE", "HIGHSTATE", "ACTOR"],
                    deploys.Select(d => (IReadOnlyList<string>)[d.Id, d.Created, d.Status, d.Release ?? "-", d.Highstate ? (d.Test ? "test" : "yes") : "no", d.Actor]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
