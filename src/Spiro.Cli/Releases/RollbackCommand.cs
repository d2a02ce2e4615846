using System.CommandLine;
using Spiro.Core.Highstate;
using Spiro.Core.Releases;
using Spiro.Core.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro rollback P/D [--to ID] [--json]</c>: switch the saltenv back to a kept release (pointer only).</summary>
internal static class RollbackCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var lockTimeout = StoreCli.LockTimeoutOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT.");
        var to = new Option<string?>("--to") { Description = "Release id to make live (default: the newest release older than the live one)." };
        var json = StoreCli.JsonOption();
        var noWait = Cluster.ClusterWaitCli.NoWaitOption();
        var command = new Command("rollback", "Make an earlier kept release live again.") { saltEnvArgument, to, data, lockTimeout, json, noWait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode, out var target, lockTimeout: lockTimeout);
            if (store is null)
            {
                return exitCode;
            }

            var result = await store.RollbackAsync(saltEnv, parse.GetValue(to), StoreCli.Context(parse), cancellationToken);
            var done = Report(parse, json, store, saltEnv, result);
            return result is RollbackResult.RolledBack moved && moved.Previous != moved.Release.Id
                ? await Cluster.ClusterWaitCli.WaitAsync(parse, target, noWait, saltEnv, moved.Release.Id, done, cancellationToken)
                : done;
        });
        return command;
    }

    private static int Report(ParseResult parse, Option<bool> json, ReleaseStore store, Core.Names.SaltEnvName saltEnv, RollbackResult result)
    {
        switch (result)
        {
            case RollbackResult.RolledBack done when parse.GetValue(json):
                StoreCli.Warn(parse, done.Warnings);
                ReleaseJson.Print(parse.InvocationConfiguration.Output, ResourceViews.Rollback(done, new HighstateResultStore(store.Database)));
                return ExitCodes.Ok;
            case RollbackResult.RolledBack done:
                parse.InvocationConfiguration.Output.WriteLine(done.Previous == done.Release.Id
                    ? $"{saltEnv} already serves release {done.Release.Id}"
                    : $"{saltEnv} now serves release {done.Release.Id} (was {done.Previous ?? "none"})");
                StoreCli.Warn(parse, done.Warnings);
                return ExitCodes.Ok;
            case RollbackResult.NotFound notFound:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: {notFound.Message}");
            case RollbackResult.Refused refused:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"refused: {refused.Message}");
            case RollbackResult.Locked locked:
                return StoreCli.Fail(parse, ExitCodes.Locked, $"locked: {locked.Message}");
            default:
                return StoreCli.Fail(parse, ExitCodes.Failure, $"unexpected result {result}");
        }
    }
}
