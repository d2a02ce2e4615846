using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spiro.Cli.Releases;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Tokens;

/// <summary><c>spiro token issue PROJECT[,PROJECT...]</c>: prints a new token once.</summary>
internal static class TokenIssueCommand
{
    public static Command Create()
    {
        var projects = new Argument<string>("projects") { Description = "Comma-separated projects the token may deploy." };
        var deployments = new Option<string?>("--deployments") { Description = "Comma-separated deployments it may deploy (default: all)." };
        var lifespan = new Option<string?>("--lifespan") { Description = "Validity, e.g. 90d, 12h (default: no expiry)." };
        var label = new Option<string?>("--label") { Description = "Who holds it, e.g. the CI pipeline." };
        var admin = new Option<bool>("--admin") { Description = "Also allow rollback, promote and delete over the API." };
        var notBefore = new Option<string?>("--not-before") { Description = "Start of validity (ISO 8601, UTC if no offset)." };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("issue", "Issue a token for some projects; it is printed once and stored only as a hash.")
        {
            projects, deployments, lifespan, label, admin, notBefore, data, json,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var projectList = Split(parse.GetValue(projects));
            var deploymentList = Split(parse.GetValue(deployments));
            var problem = projectList.Count == 0 ? "at least one project is required" : null;
            problem ??= projectList.Select(p => SaltEnvName.ExplainInvalidPart("project", p)).FirstOrDefault(e => e is not null);
            problem ??= deploymentList.Select(d => SaltEnvName.ExplainInvalidPart("deployment", d)).FirstOrDefault(e => e is not null);
            var request = problem is null
                ? Request(new TokenScope(projectList, deploymentList, parse.GetValue(admin)), parse.GetValue(label), parse.GetValue(lifespan), parse.GetValue(notBefore), out problem)
                : null;
            if (request is null)
            {
                error.WriteLine($"spiro token issue: {problem}");
                return ExitCodes.Usage;
            }

            return Issue(parse, request, parse.GetValue(data)!, parse.GetValue(json));
        });
        return command;
    }

    /// <summary>Builds the request, or null and a usage problem.</summary>
    public static TokenRequest? Request(TokenScope scope, string? label, string? lifespanText, string? notBeforeText, out string? problem)
    {
        problem = null;
        TimeSpan? lifespan = null;
        if (lifespanText is not null && (lifespan = TokenLifespan.TryParse(lifespanText, out problem)) is null)
        {
            return null;
        }

        DateTimeOffset? notBefore = null;
        if (notBeforeText is not null)
        {
            if (!DateTimeOffset.TryParse(notBeforeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                problem = $"--not-before '{notBeforeText}' is not a date/time (use ISO 8601, e.g. 2026-12-01T09:00:00Z)";
                return null;
            }

            notBefore = parsed;
        }

        return new TokenRequest(scope, label ?? "", notBefore, lifespan);
    }

    /// <summary>Issues, audits and prints; the token goes to stdout only.</summary>
    public static int Issue(ParseResult parse, TokenRequest request, string data, bool json)
    {
        if (TokenCli.Open(parse, data, out var openExit) is not { } opened)
        {
            return openExit;
        }

        var (store, audit) = opened;
        var output = parse.InvocationConfiguration.Output;
        var issued = store.Issue(request);
        var scope = request.Scope.AllProjects ? "*" : string.Join(',', request.Scope.Projects);
        audit.Append(TokenCli.CliActor, "token.issue", $"token:{issued.Record.Id}", "ok", $"projects {scope}; label {request.Label}");
        if (json)
        {
            var view = TokenCli.View(issued.Record);
            // The one view with the secret added in front: the only time it is shown.
            var node = JsonSerializer.SerializeToNode(view, ViewJson.Default.TokenView)!.AsObject();
            node.Insert(0, "token", issued.Token);
            output.WriteLine(node.ToJsonString(ViewJson.Indented));
        }
        else
        {
            output.WriteLine(issued.Token);
        }

        return ExitCodes.Ok;
    }

    private static List<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
}
