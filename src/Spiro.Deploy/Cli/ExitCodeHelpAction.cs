using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Spiro.Deploy.Cli;

/// <summary>The standard help followed by the exit code table, so CI authors find it where they look.</summary>
internal sealed class ExitCodeHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var result = inner.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.HelpText);
        return result;
    }
}
