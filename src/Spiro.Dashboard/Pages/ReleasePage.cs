using Spiro.Core.Bundles;
using Spiro.Core.Releases.Diff;
using Spiro.Dashboard.Html;
using Spiro.Dashboard.Queries;

namespace Spiro.Dashboard.Pages;

/// <summary>A release: facts, file tree, generated top.sls, highstate results per minion, diff against the release before it.</summary>
internal static class ReleasePage
{
    public static string Render(PageContext context, ReleaseView view)
    {
        var release = view.Release;
        var saltEnv = release.SaltEnv.ToString();
        return PageShell.Render(context, $"Release {release.Id}", h =>
        {
            h.Open("p").Text("Saltenv ").Link(DashboardPaths.SaltEnv(saltEnv), saltEnv);
            if (release.Live)
            {
                h.Text(" ").Element("span", "live", ("class", "badge"));
            }

            h.Close("p");
            h.Open("dl", ("class", "facts"));
            Fact(h, "Created", Show.Time(release.Created));
            Fact(h, "How", release.How);
            Fact(h, "By", release.PublishedBy);
            Fact(h, "Commit", release.SourceCommit ?? "-");
            Fact(h, "Files", $"{release.FileCount} ({Show.Bytes(release.Size)})");
            h.Close("dl");
            if (context.Viewer!.AdminOn(release.SaltEnv) && !release.Live)
            {
                h.Link($"{DashboardPaths.Action(saltEnv, "rollback")}?release={release.Id}", "Roll back to this release…", "button");
            }

            h.Element("h2", "Highstate results");
            Results(h, view);
            h.Element("h2", "top.sls");
            if (view.TopFile is null)
            {
                h.Element("p", "This release has no top.sls.", ("class", "empty"));
            }
            else
            {
                h.Element("pre", view.TopFile, ("class", "file"), ("id", "top-sls"));
                if (view.TopFileTruncated)
                {
                    h.Element("p", "(cut at the page's size limit)", ("class", "note"));
                }
            }

            h.Element("h2", "Files");
            Tree(h, view.Entries);
            h.Element("h2", view.Comparison.Previous is { } previous ? $"Changes since {previous.Id}" : "Changes (first kept release: every file is new)");
            Diff(h, view.Comparison);
        });
    }

    private static void Fact(Html.Html h, string name, string value) => h.Element("dt", name).Element("dd", value);

    private static void Results(Html.Html h, ReleaseView view)
    {
        if (view.Runs.Count == 0)
        {
            h.Element("p", "No highstate ran for this release.", ("class", "empty"));
            return;
        }

        foreach (var run in view.Runs)
        {
            h.Element("h3", $"Run {run.RunId}{(run.Test ? " (test=True)" : "")}, finished {Show.Time(run.FinishedAt)}");
            MinionResults.Render(h, run.Minions);
        }
    }

    private static void Tree(Html.Html h, IReadOnlyList<ManifestEntry> entries)
    {
        h.Open("table", ("class", "grid tree"), ("id", "files")).HeaderRow("Path", "Size", "sha256").Open("tbody");
        foreach (var entry in entries)
        {
            var depth = entry.Path.Count(c => c == '/');
            var leaf = entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
            var isFile = entry.Kind == EntryKind.File;
            h.Open("tr", ("class", isFile ? "file" : "dir"));
            h.Element("td", isFile ? leaf + (entry.Executable ? " *" : "") : leaf + "/", ("class", "depth-" + Math.Min(depth, 9)), ("title", entry.Path));
            h.Element("td", isFile ? Show.Bytes(entry.Size) : "");
            h.Element("td", entry.Sha256 ?? "", ("class", "mono hash"));
            h.Close("tr");
        }

        h.Close("tbody").Close("table");
    }

    private static void Diff(Html.Html h, ReleaseComparison comparison)
    {
        if (comparison.Files.Count == 0)
        {
            h.Element("p", "No file changed.", ("class", "empty"));
            return;
        }

        h.Open("ul", ("class", "changes"), ("id", "diff"));
        foreach (var file in comparison.Files)
        {
            var kind = file.Change.Kind.ToString().ToLowerInvariant();
            h.Open("li", ("class", kind));
            h.Element("span", kind, ("class", "badge " + kind)).Text(" ").Element("span", file.Change.Path, ("class", "mono"));
            if (file.Omitted is { } why)
            {
                h.Element("span", $" ({why})", ("class", "note"));
            }

            if (file.Unified is { } unified)
            {
                h.Element("pre", unified, ("class", "diff"));
            }

            h.Close("li");
        }

        h.Close("ul");
    }
}
