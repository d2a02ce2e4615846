using System.CommandLine;
using System.Text.Json;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Releases.Diff;
using Spiro.Protocol.Events;

namespace Spiro.Cli.Releases;

/// <summary>
/// <c>spiro diff P/D [FROM] [TO] [--json]</c>: what changed between two releases (default: the one
/// before the live one, and the live one), in the one diff format (docs/api.md "Release diff").
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var saltEnvArgument = StoreCli.SaltEnvArgument("saltenv", "PROJECT/DEPLOYMENT.");
        var from = new Argument<string?>("from") { Description = "The older release id (default: the release before TO, or the live one for a plan's candidate).", Arity = ArgumentArity.ZeroOrOne };
        var to = new Argument<string?>("to") { Description = "The newer release id or plan id (default: the live release).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("diff", "Show the files two releases add, remove and change, with unified diffs of changed text files.") { saltEnvArgument, from, to, data, json };
        command.SetAction(parse =>
        {
            var store = StoreCli.OpenFor(parse, saltEnvArgument, data, out var saltEnv, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var contents = new ReleaseContents(store);
            var pair = ReleasePair.Resolve(contents, store, saltEnv, parse.GetValue(from), parse.GetValue(to));
            if (pair.Error is { } error)
            {
                return StoreCli.Fail(parse, ExitCodes.Rejected, "error: " + error);
            }

            var diff = ReleaseDiffs.Create(contents, pair.From, pair.To!, new DiffLimits());
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(diff, DeployEventJson.Default.ReleaseDiff));
                return ExitCodes.Ok;
            }

            output.WriteLine($"{diff.SaltEnv}: {diff.From ?? "(nothing)"} -> {diff.To}: {diff.Added} added, {diff.Removed} removed, {diff.Changed} changed");
            foreach (var file in diff.Files)
            {
                var mark = file.Change switch { "added" => "+", "removed" => "-", _ => "~" };
                var side = file.After ?? file.Before!;
                var mode = file.Before is { } b && file.After is { } a && b.Mode != a.Mode ? $", mode {b.Mode} -> {a.Mode}" : "";
                output.WriteLine($"{mark} {file.Path} ({side.Size} bytes, sha256 {side.Sha256?[..12]}{mode}){(file.Omitted is { } why ? " [" + why + "]" : "")}");
                if (file.Unified is { } unified)
                {
                    output.Write(unified);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
