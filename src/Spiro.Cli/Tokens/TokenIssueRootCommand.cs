using System.CommandLine;
using Spiro.Cli.Releases;
using Spiro.Core.Tokens;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token issue-root</c>: a token for every project, admin operations included.</summary>
internal static class TokenIssueRootCommand
{
    public static Command Create()
    {
        var lifespan = new Option<string?>("--lifespan") { Description = "Validity, e.g. 90d, 12h (default: no expiry)." };
        var label = new Option<string?>("--label") { Description = "Who holds it." };
        var notBefore = new Option<string?>("--not-before") { Description = "Start of validity (ISO 8601, UTC if no offset)." };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("issue-root", "Issue a token valid for all projects and deployments, with the admin scope.")
        {
            lifespan, label, notBefore, data, json,
        };
        command.SetAction(parse =>
        {
            var request = TokenIssueCommand.Request(TokenScope.Root, parse.GetValue(label) ?? "root", parse.GetValue(lifespan), parse.GetValue(notBefore), out var problem);
            if (request is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"spiro token issue-root: {problem}");
                return ExitCodes.Usage;
            }

            return TokenIssueCommand.Issue(parse, request, parse.GetValue(data)!, parse.GetValue(json));
        });
        return command;
    }
}
