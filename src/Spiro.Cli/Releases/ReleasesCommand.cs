using System.CommandLine;
using System.Globalization;
using Spiro.Core.Highstate;
using Spiro.Core.Views;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro releases P/D</c>: the kept releases of one saltenv, newest first.</summary>
internal static class ReleasesCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT.");
        var command = new Command("releases", "List the kept releases of a saltenv, newest first.") { saltEnvArgument, data, json };
        command.SetAction(parse =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var releases = store.Releases(saltEnv);
            if (StoreCli.IsUnknown(parse, store, saltEnv, releases.Count))
            {
                return ExitCodes.Rejected;
            }

            var output = parse.InvocationConfiguration.Output;
            var results = new HighstateResultStore(store.Database);
            var highstate = releases.ToDictionary(r => r.Id, r => results.Query(r.Id, saltEnv), StringComparer.Ordinal);
            if (parse.GetValue(json))
            {
                ReleaseJson.Print(output, releases.Select(r => ResourceViews.Release(r, highstate[r.Id])).ToArray());
            }
            else
            {
                TextTable.Write(
                    output,
                    ["", "RELEASE", "CREATED", "FILES", "BYTES", "COMMIT", "BY", "HOW", "HIGHSTATE"],
                    releases.Select(r => (IReadOnlyList<string>)[
                        r.Live ? "*" : "",
                        r.Id,
                        WireTime.Format(r.Created),
                        r.FileCount.ToString(CultureInfo.InvariantCulture),
                        r.Size.ToString(CultureInfo.InvariantCulture),
                        r.SourceCommit is { Length: > 12 } commit ? commit[..12] : r.SourceCommit ?? "",
                        r.PublishedBy,
                        r.How,
                        ReleaseHighstate.Summary(highstate[r.Id])]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
