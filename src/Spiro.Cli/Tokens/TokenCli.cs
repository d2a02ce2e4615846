using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spiro.Core.Metadata;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Tokens;
using Spiro.Core.Views;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Tokens;

/// <summary>What the token verbs share: <c>--data</c>, <c>--json</c>, opening the store, printing a token.</summary>
internal static class TokenCli
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static string CliActor => $"cli:{Environment.UserName}";

    /// <summary>The TOKEN argument's help: <c>-</c> keeps the secret out of argv (<c>ps</c>, Salt's job cache).</summary>
    public const string StdinHelp = " `-` reads it from stdin (one line), keeping the secret out of the process list.";

    /// <summary>
    /// The token (or id) a verb was given: the argument itself, or for <c>-</c> the first line of
    /// <paramref name="stdin"/>. Null with <paramref name="problem"/> when <c>-</c> found no line.
    /// </summary>
    public static string? Presented(string argument, TextReader stdin, out string? problem)
    {
        problem = null;
        if (argument != "-")
        {
            return argument;
        }

        var line = stdin.ReadLine()?.Trim();
        if (string.IsNullOrEmpty(line))
        {
            problem = "expected the token on stdin (one line) for `-`";
            return null;
        }

        return line;
    }

    /// <summary>The tokens and audit log of --data (or --config's; in a cluster, PostgreSQL's); null after printing why not.</summary>
    public static (TokenStore Store, AuditLog Audit)? Open(ParseResult parse, string data, out int exitCode)
    {
        if (Cluster.ConfigCli.Resolve(parse, data, out exitCode) is not { } target)
        {
            return null;
        }

        var database = target.OpenMetadata();
        return (new TokenStore(database, TimeProvider.System), new AuditLog(database, TimeProvider.System));
    }

    public static TokenView View(TokenRecord token) => ResourceViews.Token(token, TimeProvider.System.GetUtcNow());

    public static string Describe(TokenRecord token)
    {
        var view = View(token);
        var scope = view.Root ? "all projects" : string.Join(',', view.Projects);
        if (view.Deployments.Count > 0)
        {
            scope += $" (deployments {string.Join(',', view.Deployments)})";
        }

        return $"{view.Id}  {view.Status,-13}  {scope}{(view.Admin ? " +admin" : "")}  expires {token.Expires?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}  {view.Label}";
    }
}
