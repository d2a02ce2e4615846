using Spiro.Cli;

try
{
    return await CliApp.RunAsync(args, Console.Out, Console.Error);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Unexpected failures get their own exit code (docs/cli.md), not System.CommandLine's 1 = rejected.
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.Failure;
}
