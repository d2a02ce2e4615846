using System.CommandLine;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token revoke TOKEN|ID|-</c>: effective on the server's very next request.</summary>
internal static class TokenRevokeCommand
{
    public static Command Create()
    {
        var tokenOrId = new Argument<string>("token-or-id") { Description = "The token string or its id." + TokenCli.StdinHelp };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("revoke", "Revoke a token; a running server refuses it from the next request on.") { tokenOrId, data, json };
        command.SetAction(parse =>
        {
            if (TokenCli.Presented(parse.GetValue(tokenOrId)!, Console.In, out var stdinProblem) is not { } presented)
            {
                parse.InvocationConfiguration.Error.WriteLine($"spiro token revoke: {stdinProblem}");
                return ExitCodes.Usage;
            }

            if (TokenCli.Open(parse, parse.GetValue(data)!, out var openExit) is not { } opened)
            {
                return openExit;
            }

            var (store, audit) = opened;
            if (store.Find(presented) is not { } token || !store.Revoke(token.Id))
            {
                parse.InvocationConfiguration.Error.WriteLine("spiro token revoke: no such token");
                return ExitCodes.Rejected;
            }

            audit.Append(TokenCli.CliActor, "token.revoke", $"token:{token.Id}", "ok", $"label {token.Label}");
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(ViewJson.ToIndented(TokenCli.View(store.FindById(token.Id)!)));
            }
            else
            {
                output.WriteLine($"revoked {token.Id}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
