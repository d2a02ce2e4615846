using System.CommandLine;
using Spiro.Cli;

// Each verb lives in its own file under a feature folder; add it here in one line.
var root = new RootCommand("SpiroFS admin and server: publish Salt states as isolated saltenvs.");
foreach (var command in Verbs.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
