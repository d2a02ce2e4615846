using System.CommandLine;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token ...</c>: issue, list, inspect, revoke and check deploy tokens.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Issue, list, inspect, revoke and check deploy tokens.");
        command.Subcommands.Add(TokenIssueCommand.Create());
        command.Subcommands.Add(TokenIssueRootCommand.Create());
        command.Subcommands.Add(TokenListCommand.Create());
        command.Subcommands.Add(TokenInspectCommand.Create());
        command.Subcommands.Add(TokenRevokeCommand.Create());
        command.Subcommands.Add(TokenCheckCommand.Create());
        return command;
    }
}
