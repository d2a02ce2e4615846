using Spiro.Deploy.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await DeployCommand.RunAsync(args, ConsoleEnvironment.FromConsole(), cancel.Token);
