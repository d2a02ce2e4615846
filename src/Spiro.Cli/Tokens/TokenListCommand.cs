using System.CommandLine;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token list</c>: every token (never the secret).</summary>
internal static class TokenListCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("list", "List tokens: id, status, scope, expiry, label.") { data, json };
        command.SetAction(parse =>
        {
            if (TokenCli.Open(parse, parse.GetValue(data)!, out var openExit) is not { } opened)
            {
                return openExit;
            }

            var (store, _) = opened;
            var tokens = store.List();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(ViewJson.ToIndented(tokens.Select(TokenCli.View).ToArray()));
            }
            else
            {
                foreach (var token in tokens)
                {
                    output.WriteLine(TokenCli.Describe(token));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
