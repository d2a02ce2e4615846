using System.CommandLine;
using Spiro.Cli;

// Each verb lives in its own file under a feature folder; add it here in one line.
var root = new RootCommand("SpiroFS admin and server: publish Salt states as isolated saltenvs.");
foreach (var command in Verbs.All())
{
    root.Subcommands.Add(command);
}

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Unexpected failures get their own exit code (docs/cli.md), not System.CommandLine's 1 = rejected.
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Failure;
}
