using System.CommandLine;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Core.Names;
using Spiro.Core.Tokens;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token check TOKEN|- [PROJECT[/DEPLOYMENT]]</c>: would the server accept it? Exit 0 yes, 1 no.</summary>
internal static class TokenCheckCommand
{
    public static Command Create()
    {
        var tokenArgument = new Argument<string>("token") { Description = "The token string." + TokenCli.StdinHelp };
        var target = new Argument<string?>("target") { Description = "PROJECT or PROJECT/DEPLOYMENT to check it against.", Arity = ArgumentArity.ZeroOrOne };
        var saltEnvOption = new Option<string?>("--saltenv") { Description = "Same as TARGET (the Salt runner passes it this way)." };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("check", "Say whether the server would accept a token (for a project or saltenv).") { tokenArgument, target, saltEnvOption, data, json };
        command.SetAction(parse =>
        {
            var requirement = Requirement(parse.GetValue(target) ?? parse.GetValue(saltEnvOption), out var problem);
            if (requirement is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"spiro token check: {problem}");
                return ExitCodes.Usage;
            }

            if (TokenCli.Presented(parse.GetValue(tokenArgument)!, Console.In, out var stdinProblem) is not { } presented)
            {
                parse.InvocationConfiguration.Error.WriteLine($"spiro token check: {stdinProblem}");
                return ExitCodes.Usage;
            }

            if (TokenCli.Open(parse, parse.GetValue(data)!, out var openExit) is not { } opened)
            {
                return openExit;
            }

            var (store, _) = opened;
            var record = TokenSecret.IsWellFormed(presented) ? store.FindByToken(presented) : null;
            var decision = TokenAuthorizer.Decide(record, TimeProvider.System.GetUtcNow(), requirement);
            var (valid, status, reason) = decision switch
            {
                AuthDecision.Allowed => (true, 200, "valid"),
                AuthDecision.Forbidden f => (false, 403, f.Reason),
                AuthDecision.Unauthenticated u => (false, 401, TokenSecret.IsWellFormed(presented) ? u.Reason : "malformed token"),
                _ => (false, 401, "refused"),
            };
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { Valid = valid, Status = status, Reason = reason, Id = record?.Id }, TokenCli.Json));
            }
            else
            {
                output.WriteLine(valid ? $"valid ({record!.Id})" : $"refused ({status}): {reason}");
            }

            return valid ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    private static TokenRequirement? Requirement(string? target, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(target))
        {
            return TokenRequirement.AnyValid;
        }

        if (!target.Contains('/', StringComparison.Ordinal))
        {
            problem = SaltEnvName.ExplainInvalidPart("project", target);
            return problem is null ? new TokenRequirement(target, null, Admin: false) : null;
        }

        var saltEnv = SaltEnvName.TryParse(target, out problem);
        return saltEnv is null ? null : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
    }
}
