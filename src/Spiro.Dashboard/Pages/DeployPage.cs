using Spiro.Dashboard.Html;
using Spiro.Dashboard.Queries;

namespace Spiro.Dashboard.Pages;

/// <summary>
/// A deploy: facts, per-minion results and every event. While it runs, live.js follows the SSE stream
/// from the last event rendered here and reloads the page when <c>deploy-finish</c> arrives, so the
/// finished page is always this server rendering of the stored events.
/// </summary>
internal static class DeployPage
{
    public static string Render(PageContext context, DeployTimeline timeline)
    {
        var deploy = timeline.Deploy;
        return PageShell.Render(context, $"Deploy {deploy.Id}", h =>
        {
            h.Open("dl", ("class", "facts"));
            h.Element("dt", "Saltenv").Open("dd").Link(DashboardPaths.SaltEnv(deploy.SaltEnv), deploy.SaltEnv).Close("dd");
            h.Element("dt", "Status").Open("dd").Element("span", deploy.Status, ("class", "status " + deploy.Status), ("id", "deploy-status")).Close("dd");
            h.Element("dt", "By").Element("dd", deploy.Actor);
            h.Element("dt", "Started").Element("dd", Show.Time(deploy.Created));
            h.Element("dt", "Finished").Element("dd", Show.Time(deploy.Finished));
            h.Element("dt", "Highstate").Element("dd", deploy.Highstate ? (deploy.Test ? "yes, test=True" : "yes") : "no");
            h.Element("dt", "Release").Open("dd");
            if (deploy.Release is { } release)
            {
                h.Link(DashboardPaths.Release(deploy.SaltEnv, release), release, "mono");
            }
            else
            {
                h.Text("-");
            }

            h.Close("dd").Close("dl");
            h.Element("h2", "Minions");
            h.Open("div", ("id", "minions"));
            if (timeline.Minions.Count == 0)
            {
                h.Element("p", deploy.IsFinished ? "No minion results." : "Waiting for minions…", ("class", "empty"));
            }

            MinionResults.Render(h, timeline.Minions);
            h.Close("div");
            h.Element("h2", "Events");
            h.Open("ol", ("id", "events"), ("class", "events"),
                ("data-stream", deploy.IsFinished ? null : DashboardPaths.DeployEvents(deploy.Id)),
                ("data-after", Show.Number(timeline.LastSeq)));
            foreach (var line in timeline.Events)
            {
                h.Open("li", ("class", "event " + line.Name));
                h.Element("time", Show.Time(line.At)).Text(" ").Element("b", line.Name).Text(" ").Element("span", line.Message);
                h.Close("li");
            }

            h.Close("ol");
        });
    }
}
