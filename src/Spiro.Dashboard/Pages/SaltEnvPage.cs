using Spiro.Dashboard.Html;
using Spiro.Dashboard.Queries;

namespace Spiro.Dashboard.Pages;

/// <summary>A saltenv: kept releases (live marked), its history, recent deploys, and for admins rollback, promote and delete.</summary>
internal static class SaltEnvPage
{
    public static string Render(PageContext context, SaltEnvView view)
    {
        var name = view.SaltEnv.ToString();
        var admin = context.Viewer!.AdminOn(view.SaltEnv);
        return PageShell.Render(context, name, h =>
        {
            h.Element("h2", "Releases kept");
            if (view.Releases.Count == 0)
            {
                h.Element("p", "No release is kept: the saltenv was deleted.", ("class", "empty"));
            }
            else
            {
                Releases(h, view, name, admin);
            }

            if (admin && view.Releases.Count > 0)
            {
                AdminActions(h, view, name);
            }

            h.Element("h2", "Deploys");
            Deploys(h, view);
            h.Element("h2", "History");
            History(h, view, name);
        });
    }

    private static void Releases(Html.Html h, SaltEnvView view, string name, bool admin)
    {
        h.Open("table", ("class", "grid"), ("id", "releases")).HeaderRow("Release", "Created", "How", "By", "Commit", "Files", "Size", "").Open("tbody");
        foreach (var release in view.Releases)
        {
            h.Open("tr", ("class", release.Live ? "live" : null));
            h.Open("td").Link(DashboardPaths.Release(name, release.Id), release.Id, "mono");
            if (release.Live)
            {
                h.Text(" ").Element("span", "live", ("class", "badge"));
            }

            h.Close("td");
            h.Element("td", Show.Time(release.Created));
            h.Element("td", release.How);
            h.Element("td", release.PublishedBy);
            h.Element("td", Show.Short(release.SourceCommit), ("class", "mono"), ("title", release.SourceCommit));
            h.Element("td", Show.Number(release.FileCount));
            h.Element("td", Show.Bytes(release.Size));
            h.Open("td");
            if (admin && !release.Live)
            {
                h.Link($"{DashboardPaths.Action(name, "rollback")}?release={release.Id}", "Roll back to this", "button");
            }

            h.Close("td").Close("tr");
        }

        h.Close("tbody").Close("table");
    }

    private static void AdminActions(Html.Html h, SaltEnvView view, string name)
    {
        h.Open("section", ("class", "admin"));
        h.Element("h2", "Admin");
        if (view.Releases.Count > 1)
        {
            h.Link(DashboardPaths.Action(name, "rollback"), "Roll back to the previous release…", "button");
        }

        h.Open("form", ("method", "get"), ("action", DashboardPaths.Action(name, "promote")), ("class", "inline"));
        h.Element("label", "Promote the live release to deployment ", ("for", "promote-to"));
        h.Void("input", ("id", "promote-to"), ("name", "to"), ("list", "siblings"), ("required", ""), ("pattern", "[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}"));
        h.Open("datalist", ("id", "siblings"));
        foreach (var sibling in view.Siblings)
        {
            h.Void("option", ("value", sibling));
        }

        h.Close("datalist");
        h.Element("button", "Promote…", ("type", "submit"));
        h.Close("form");
        h.Link(DashboardPaths.Action(name, "delete"), "Delete this saltenv…", "button danger");
        h.Close("section");
    }

    private static void Deploys(Html.Html h, SaltEnvView view)
    {
        if (view.Deploys.Count == 0)
        {
            h.Element("p", "No deploys recorded.", ("class", "empty"));
            return;
        }

        h.Open("table", ("class", "grid"), ("id", "deploys")).HeaderRow("Deploy", "Status", "Started", "Finished", "By", "Release").Open("tbody");
        foreach (var deploy in view.Deploys)
        {
            h.Open("tr");
            h.Open("td").Link(DashboardPaths.Deploy(deploy.Id), deploy.Id, "mono").Close("td");
            h.Open("td").Element("span", deploy.Status, ("class", "status " + deploy.Status)).Close("td");
            h.Element("td", Show.Time(deploy.Created));
            h.Element("td", Show.Time(deploy.Finished));
            h.Element("td", deploy.Actor);
            h.Element("td", deploy.Release ?? "-", ("class", "mono"));
            h.Close("tr");
        }

        h.Close("tbody").Close("table");
    }

    private static void History(Html.Html h, SaltEnvView view, string name)
    {
        h.Open("table", ("class", "grid"), ("id", "history")).HeaderRow("When", "Action", "By", "Release", "Detail").Open("tbody");
        var kept = view.Releases.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in view.History)
        {
            h.Open("tr");
            h.Element("td", Show.Time(entry.At));
            h.Element("td", entry.Action);
            h.Element("td", entry.Actor);
            h.Open("td", ("class", "mono"));
            if (entry.ReleaseId is { } id && kept.Contains(id))
            {
                h.Link(DashboardPaths.Release(name, id), id);
            }
            else
            {
                h.Text(entry.ReleaseId ?? "-");
            }

            h.Close("td");
            h.Element("td", entry.Detail);
            h.Close("tr");
        }

        h.Close("tbody").Close("table");
    }
}
