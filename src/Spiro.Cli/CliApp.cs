using System.CommandLine;
using System.CommandLine.Parsing;

namespace Spiro.Cli;

/// <summary>The <c>spiro</c> entry point minus the process: builds the verbs, parses, and runs one.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        // Each verb lives in its own file under a feature folder; add it in src/Spiro.Cli/Verbs.cs in one line.
        var root = new RootCommand("SpiroFS admin and server: publish Salt states as isolated saltenvs.");
        foreach (var command in Verbs.All())
        {
            // Every verb that takes --data also takes the server's settings file (cluster mode included).
            Cluster.ConfigCli.AddToStoreVerbs(command);
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>
    /// Runs <paramref name="args"/>. Parse errors (missing or unknown option or argument) exit with
    /// <see cref="ExitCodes.Usage"/> after printing them and the verb's help hint, where
    /// System.CommandLine on its own would exit 1, which <c>spiro</c> uses for "rejected".
    /// Unexpected exceptions propagate to the caller.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"spiro: {problem.Message}");
            }

            await error.WriteLineAsync($"Run '{VerbPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error });
    }

    /// <summary>"spiro token revoke" for the innermost verb the parser reached.</summary>
    private static string VerbPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }

        return string.Join(' ', ["spiro", .. names]);
    }
}
