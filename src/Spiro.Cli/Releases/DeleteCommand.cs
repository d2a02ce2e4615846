using System.CommandLine;
using Spiro.Core.Releases;
using Spiro.Core.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro delete P/D [--yes] [--json]</c>: remove a saltenv (pointer first, then its releases).</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var lockTimeout = StoreCli.LockTimeoutOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT to delete.");
        var json = StoreCli.JsonOption();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (required when stdin is not a terminal)." };
        var noWait = Cluster.ClusterWaitCli.NoWaitOption();
        var command = new Command("delete", "Delete a saltenv: Salt stops serving it at once, then its releases are removed.") { saltEnvArgument, yes, data, lockTimeout, json, noWait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode, out var target, lockTimeout: lockTimeout);
            if (store is null)
            {
                return exitCode;
            }

            if (!parse.GetValue(yes) && !Confirm(parse, $"delete {saltEnv} and its {store.Releases(saltEnv).Count} releases? [y/N] "))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, "not deleted (pass --yes to confirm without a prompt)");
            }

            var result = await store.DeleteAsync(saltEnv, StoreCli.Context(parse), cancellationToken);
            var done = Report(parse, json, saltEnv, result);
            return result is DeleteResult.Deleted
                ? await Cluster.ClusterWaitCli.WaitAsync(parse, target, noWait, saltEnv, null, done, cancellationToken)
                : done;
        });
        return command;
    }

    private static int Report(ParseResult parse, Option<bool> json, Core.Names.SaltEnvName saltEnv, DeleteResult result)
    {
        switch (result)
        {
            case DeleteResult.Deleted deleted when parse.GetValue(json):
                StoreCli.Warn(parse, deleted.Warnings);
                ReleaseJson.Print(parse.InvocationConfiguration.Output, ResourceViews.Delete(deleted));
                return ExitCodes.Ok;
            case DeleteResult.Deleted deleted:
                parse.InvocationConfiguration.Output.WriteLine($"deleted {saltEnv} ({deleted.RemovedReleases.Count} releases removed)");
                StoreCli.Warn(parse, deleted.Warnings);
                return ExitCodes.Ok;
            case DeleteResult.NotFound notFound:
                return StoreCli.Fail(parse, ExitCodes.Rejected, $"error: {notFound.Message}");
            case DeleteResult.Locked locked:
                return StoreCli.Fail(parse, ExitCodes.Locked, $"locked: {locked.Message}");
            default:
                return StoreCli.Fail(parse, ExitCodes.Failure, $"unexpected result {result}");
        }
    }

    private static bool Confirm(ParseResult parse, string question)
    {
        if (Console.IsInputRedirected)
        {
            return false;
        }

        parse.InvocationConfiguration.Error.Write(question);
        return Console.ReadLine()?.Trim() is "y" or "Y" or "yes";
    }
}
