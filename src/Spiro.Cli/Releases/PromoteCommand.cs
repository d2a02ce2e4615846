using System.CommandLine;
using Spiro.Core.Highstate;
using Spiro.Core.Releases;
using Spiro.Core.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro promote P/A P/B [--release ID] [--json]</c>: publish a tested release of one deployment into another.</summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var lockTimeout = StoreCli.LockTimeoutOption();
        var fromArgument = StoreCli.SaltEnvArgument("from", "PROJECT/DEPLOYMENT to take the release from.");
        var toArgument = StoreCli.SaltEnvArgument("to", "PROJECT/DEPLOYMENT of the same project to publish it to.");
        var json = StoreCli.JsonOption();
        var release = new Option<string?>("--release") { Description = "Release id of the source (default: its live release)." };
        var noWait = Cluster.ClusterWaitCli.NoWaitOption();
        var command = new Command("promote", "Publish an existing release into another deployment of the same project, without re-upload.") { fromArgument, toArgument, release, data, lockTimeout, json, noWait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var from = StoreCli.ParseSaltEnv(parse, fromArgument);
            var to = from is null ? null : StoreCli.ParseSaltEnv(parse, toArgument);
            if (from is null || to is null)
            {
                return ExitCodes.Usage;
            }

            var store = StoreCli.Open(parse, data, create: false, out var exitCode, out var target, lockTimeout);
            if (store is null)
            {
                return exitCode;
            }

            var result = await store.PromoteAsync(from, to, parse.GetValue(release), StoreCli.Context(parse), cancellationToken);
            var done = Report(parse, json, store, from, to, result);
            return result is PromoteResult.Promoted promoted
                ? await Cluster.ClusterWaitCli.WaitAsync(parse, target, noWait, to, promoted.Release.Id, done, cancellationToken)
                : done;
        });
        return command;
    }

    private static int Report(ParseResult parse, Option<bool> json, ReleaseStore store, Core.Names.SaltEnvName from, Core.Names.SaltEnvName to, PromoteResult result)
    {
        switch (result)
        {
            case PromoteResult.Promoted promoted when parse.GetValue(json):
                StoreCli.Warn(parse, promoted.Warnings);
                ReleaseJson.Print(parse.InvocationConfiguration.Output, ResourceViews.Promote(promoted, from, new HighstateResultStore(store.Database)));
                return ExitCodes.Ok;
            case PromoteResult.Promoted promoted:
                parse.InvocationConfiguration.Output.WriteLine($"{to} now serves release {promoted.Release.Id} (promoted from {from} release {promoted.SourceId})");
                StoreCli.Warn(parse, promoted.Warnings);
                return ExitCodes.Ok;
            case PromoteResult.NotFound notFound:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: {notFound.Message}");
            case PromoteResult.Rejected rejected:
                return StoreCli.Fail(parse, rejected.Rule == "top-file" ? ExitCodes.Rejected : ExitCodes.Usage, $"rejected ({rejected.Rule}): {rejected.Message}");
            case PromoteResult.Locked locked:
                return StoreCli.Fail(parse, ExitCodes.Locked, $"locked: {locked.Message}");
            default:
                return StoreCli.Fail(parse, ExitCodes.Failure, $"unexpected result {result}");
        }
    }
}
