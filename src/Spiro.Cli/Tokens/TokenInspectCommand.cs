using System.CommandLine;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token inspect TOKEN|ID|-</c>: one token's scope, validity and last use.</summary>
internal static class TokenInspectCommand
{
    public static Command Create()
    {
        var tokenOrId = new Argument<string>("token-or-id") { Description = "The token string or its id." + TokenCli.StdinHelp };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("inspect", "Show one token's scope, validity and last use.") { tokenOrId, data, json };
        command.SetAction(parse =>
        {
            if (TokenCli.Presented(parse.GetValue(tokenOrId)!, Console.In, out var stdinProblem) is not { } presented)
            {
                parse.InvocationConfiguration.Error.WriteLine($"spiro token inspect: {stdinProblem}");
                return ExitCodes.Usage;
            }

            if (TokenCli.Open(parse, parse.GetValue(data)!, out var openExit) is not { } opened)
            {
                return openExit;
            }

            var (store, _) = opened;
            if (store.Find(presented) is not { } token)
            {
                parse.InvocationConfiguration.Error.WriteLine("spiro token inspect: no such token");
                return ExitCodes.Rejected;
            }

            var view = TokenCli.View(token);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(ViewJson.ToIndented(view));
                return ExitCodes.Ok;
            }

            output.WriteLine($"id:          {view.Id}");
            output.WriteLine($"label:       {view.Label}");
            output.WriteLine($"status:      {view.Status}");
            output.WriteLine($"projects:    {(view.Root ? "*" : string.Join(',', view.Projects))}");
            output.WriteLine($"deployments: {(view.Deployments.Count == 0 ? "*" : string.Join(',', view.Deployments))}");
            output.WriteLine($"admin:       {(view.Admin ? "yes" : "no")}");
            output.WriteLine($"created:     {Format(token.Created)}");
            output.WriteLine($"not before:  {Format(token.NotBefore)}");
            output.WriteLine($"expires:     {Format(token.Expires)}");
            output.WriteLine($"revoked:     {Format(token.Revoked)}");
            output.WriteLine($"last used:   {Format(token.LastUsed)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
