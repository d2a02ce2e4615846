using System.CommandLine;
using Spiro.Core.Views;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro deployments</c>: every saltenv with its live release.</summary>
internal static class DeploymentsCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("deployments", "List saltenvs and their live releases.") { data, json };
        command.SetAction(parse =>
        {
            var store = StoreCli.Open(parse, data, create: false, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var deployments = store.Deployments();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                ReleaseJson.Print(output, deployments.Select(ResourceViews.SaltEnv).ToArray());
            }
            else
            {
                TextTable.Write(
                    output,
                    ["SALTENV", "LIVE RELEASE", "PUBLISHED", "BY"],
                    deployments.Select(d => (IReadOnlyList<string>)[d.SaltEnv.ToString(), d.LiveRelease, d.PublishedAt is { } at ? WireTime.Format(at) : "?", d.PublishedBy ?? "?"]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
