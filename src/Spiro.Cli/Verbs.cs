using System.CommandLine;

namespace Spiro.Cli;

/// <summary>The top-level verbs of <c>spiro</c>, one line each so parallel work merges cleanly.</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return Tokens.TokenCommand.Create();
        yield return Server.ServeCommand.Create();
        yield return Salt.SaltCommand.Create();
    }
}
