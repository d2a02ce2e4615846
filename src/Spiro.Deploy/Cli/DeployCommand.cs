using System.CommandLine;
using System.CommandLine.Help;
using Spiro.Deploy.Deploying;

namespace Spiro.Deploy.Cli;

/// <summary>The <c>spiro-deploy</c> command line: parse, validate, hand over to <see cref="DeployRunner"/>.</summary>
internal static class DeployCommand
{
    /// <summary>Runs the command as the process would, writing to <paramref name="console"/>.</summary>
    public static async Task<int> RunAsync(string[] args, ConsoleEnvironment console, CancellationToken cancellationToken)
    {
        var root = Create(console);
        var parse = root.Parse(BareIncludeSource(args));
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction and not ExitCodeHelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"spiro-deploy: {error.Message}");
            }

            await console.Error.WriteLineAsync("Try 'spiro-deploy --help'.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>
    /// <c>--include-source</c> takes an optional value; a bare one followed by PROJECT must not swallow
    /// PROJECT, so it becomes <c>--include-source=git</c> unless a method follows.
    /// </summary>
    internal static string[] BareIncludeSource(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1].ToLowerInvariant() : null;
            result.Add(args[i] == "--include-source" && next is not ("git" or "fs" or "filesystem") ? "--include-source=git" : args[i]);
            if (args[i] == "--")
            {
                result.AddRange(args[(i + 1)..]);
                break;
            }
        }

        return [.. result];
    }

    private static RootCommand Create(ConsoleEnvironment console)
    {
        var flags = new DeployFlags();
        var root = new RootCommand("Deploy this repository's Salt states to a SpiroFS server and highstate the minions that use them.");
        flags.AddTo(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new ExitCodeHelpAction((HelpAction)help.Action!);
        }

        root.SetAction(async (parse, ct) =>
        {
            var validation = ArgumentValidator.Validate(flags.Read(parse), console.GetVariable);
            if (validation.Options is not { } options)
            {
                await console.Error.WriteLineAsync($"spiro-deploy: {validation.Error}");
                return ExitCodes.Usage;
            }

            return await new DeployRunner(options, console).RunAsync(ct);
        });
        return root;
    }
}
