using Spiro.Core.Tokens;
using Spiro.Dashboard.Html;

namespace Spiro.Dashboard.Pages;

/// <summary>Every token (never a secret: the store has only hashes) with its scope and a revoke action.</summary>
internal static class TokensPage
{
    public static string Render(PageContext context, IReadOnlyList<TokenRecord> tokens, DateTimeOffset now) =>
        PageShell.Render(context, "Tokens", h =>
        {
            h.Open("table", ("class", "grid"), ("id", "tokens")).HeaderRow("Id", "Label", "Scope", "Created", "Expires", "Last used", "State", "").Open("tbody");
            foreach (var token in tokens)
            {
                var state = State(token, now);
                h.Open("tr", ("data-token", token.Id));
                h.Element("td", token.Id, ("class", "mono"));
                h.Element("td", token.Label);
                h.Element("td", Scope(token.Scope));
                h.Element("td", Show.Time(token.Created));
                h.Element("td", Show.Time(token.Expires));
                h.Element("td", Show.Time(token.LastUsed));
                h.Open("td").Element("span", state, ("class", "status " + (state == "valid" ? "succeeded" : "failed"))).Close("td");
                h.Open("td");
                if (token.Revoked is null)
                {
                    h.Link(DashboardPaths.Revoke(token.Id), "Revoke…", "button danger");
                }

                h.Close("td").Close("tr");
            }

            h.Close("tbody").Close("table");
        });

    public static string Scope(TokenScope scope)
    {
        var projects = scope.AllProjects ? "all projects" : "projects " + string.Join(", ", scope.Projects);
        var deployments = scope.Deployments.Count == 0 ? "all deployments" : "deployments " + string.Join(", ", scope.Deployments);
        return $"{projects}; {deployments}{(scope.Admin ? "; admin" : "")}";
    }

    private static string State(TokenRecord token, DateTimeOffset now) =>
        token.Revoked is not null ? "revoked"
        : token.Expires is { } expires && now >= expires ? "expired"
        : token.NotBefore is { } notBefore && now < notBefore ? "not yet valid"
        : "valid";
}
