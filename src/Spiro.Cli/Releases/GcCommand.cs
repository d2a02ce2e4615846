using System.CommandLine;
using Spiro.Core.Releases;

namespace Spiro.Cli.Releases;

/// <summary><c>spiro gc [--dry-run]</c>: remove objects no kept release references.</summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing." };
        var command = new Command("gc", "Remove stored file contents that no kept release uses.") { dryRun, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = StoreCli.Open(parse, data, create: false, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var result = await store.CollectGarbageAsync(parse.GetValue(dryRun), $"cli:{Environment.UserName}", cancellationToken);
            switch (result)
            {
                case GcResult.Collected collected:
                    var output = parse.InvocationConfiguration.Output;
                    foreach (var path in collected.Objects)
                    {
                        output.WriteLine(path);
                    }

                    output.WriteLine($"{(collected.DryRun ? "would remove" : "removed")} {collected.Objects.Count} objects, {collected.Bytes} bytes");
                    return ExitCodes.Ok;
                case GcResult.Locked locked:
                    return StoreCli.Fail(parse, ExitCodes.Locked, $"locked: {locked.Message}");
                default:
                    return StoreCli.Fail(parse, ExitCodes.Failure, $"unexpected result {result}");
            }
        });
        return command;
    }
}
