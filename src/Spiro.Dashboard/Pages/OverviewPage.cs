using Spiro.Dashboard.Html;
using Spiro.Dashboard.Queries;

namespace Spiro.Dashboard.Pages;

/// <summary>Every saltenv the token may see: live release, when and by whom, commit, last deploy and minions; a filter box.</summary>
internal static class OverviewPage
{
    public const string FilterField = "q";

    public static string Render(PageContext context, IReadOnlyList<OverviewRow> rows, string? filter) =>
        PageShell.Render(context, "Overview", h =>
        {
            h.Open("form", ("method", "get"), ("action", DashboardPaths.Overview), ("class", "filter"), ("role", "search"));
            h.Element("label", "Filter saltenvs", ("for", "filter"));
            h.Void("input", ("type", "search"), ("id", "filter"), ("name", FilterField), ("value", filter ?? ""), ("placeholder", "project/deployment"), ("autocomplete", "off"), ("data-filter-rows", "saltenvs"));
            h.Element("button", "Filter", ("type", "submit"));
            h.Close("form");
            h.Element("p", $"{rows.Count} saltenv(s)", ("class", "count"), ("id", "saltenv-count"));
            if (rows.Count == 0)
            {
                h.Element("p", string.IsNullOrEmpty(filter) ? "No saltenv is live yet. Deploy one with spiro-deploy." : "No saltenv matches the filter.", ("class", "empty"));
                return;
            }

            h.Open("table", ("id", "saltenvs"), ("class", "grid")).HeaderRow("Saltenv", "Live release", "Live since", "By", "Commit", "Last deploy", "Minions").Open("tbody");
            foreach (var row in rows)
            {
                Row(h, row);
            }

            h.Close("tbody").Close("table");
        });

    private static void Row(Html.Html h, OverviewRow row)
    {
        var name = row.Live.SaltEnv.ToString();
        h.Open("tr", ("data-name", name.ToLowerInvariant()));
        h.Open("td").Link(DashboardPaths.SaltEnv(name), name).Close("td");
        h.Open("td").Link(DashboardPaths.Release(name, row.Live.Id), row.Live.Id, "mono").Close("td");
        h.Element("td", Show.Time(row.Live.Created));
        h.Element("td", row.Live.PublishedBy);
        h.Element("td", Show.Short(row.Live.SourceCommit), ("class", "mono"), ("title", row.Live.SourceCommit));
        h.Open("td");
        if (row.LastDeploy is { } deploy)
        {
            h.Open("a", ("href", DashboardPaths.Deploy(deploy.Id)), ("class", "status " + deploy.Status)).Text(deploy.Status).Close("a");
            h.Text(" " + Show.Time(deploy.Created));
        }
        else
        {
            h.Text("-");
        }

        h.Close("td");
        h.Open("td");
        if (row.Minions is { } tally && tally.ReleaseId == row.Live.Id)
        {
            h.Element("span", $"{tally.Succeeded} ok", ("class", "status succeeded"));
            if (tally.NotSucceeded > 0)
            {
                h.Text(" ").Element("span", $"{tally.NotSucceeded} failed", ("class", "status failed"));
            }

            if (tally.Test)
            {
                h.Text(" (test)");
            }
        }
        else
        {
            h.Text("-");
        }

        h.Close("td").Close("tr");
    }
}
