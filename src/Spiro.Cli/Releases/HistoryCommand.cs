using System.CommandLine;
using Spiro.Core.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro history P/D [--json] [--limit N]</c>: the saltenv's pointer history (publish, rollback, promote, delete, recover), newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var limit = StoreCli.LimitOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT.");
        var command = new Command("history", "Show what changed a saltenv's live release, and who did it, newest first.") { saltEnvArgument, data, json, limit };
        command.SetAction(parse =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            // A deleted saltenv keeps its rows (the delete is part of its story); only a saltenv never seen is unknown.
            var history = store.History(saltEnv);
            if (StoreCli.IsUnknown(parse, store, saltEnv, history.Count))
            {
                return ExitCodes.Rejected;
            }

            var rows = ResourceViews.History(history, parse.GetValue(limit));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                ReleaseJson.Print(output, rows);
            }
            else
            {
                TextTable.Write(
                    output,
                    ["WHEN", "ACTION", "RELEASE", "ACTOR", "DETAIL"],
                    rows.Select(r => (IReadOnlyList<string>)[r.At, r.Action, r.Release ?? "-", r.Actor, r.Detail]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
