using Spiro.Dashboard.Cluster;

namespace Spiro.Dashboard.Pages;

/// <summary>
/// The page after a rollback, promote or delete: what changed, its warnings, and in a cluster
/// which masters serve it and which have not applied it yet (docs/cluster.md).
/// </summary>
internal static class ChangePage
{
    public static string Render(PageContext context, string title, string message, IReadOnlyList<string> warnings, MastersWaited? masters, string back) =>
        PageShell.Render(context, title, h =>
        {
            h.Element("p", message, ("class", "message"), ("id", "message"));
            if (masters is not null)
            {
                h.Element("h2", "Masters");
                h.Element("p", masters.Serving.Count == 0 ? "No master serves it yet." : "Serve it: " + string.Join(", ", masters.Serving), ("id", "masters-serving"));
                if (masters.Laggards.Count > 0)
                {
                    h.Element("p", $"Not applied yet: {string.Join(", ", masters.Laggards)} (the change stands; they keep following it, and spiro cluster status shows where they are).", ("class", "problem"), ("id", "masters-lagging"));
                }
            }

            if (warnings.Count > 0)
            {
                h.Element("h2", "Warnings");
                h.Open("ul", ("id", "warnings"));
                foreach (var warning in warnings)
                {
                    h.Element("li", warning);
                }

                h.Close("ul");
            }

            h.Link(back, "Back");
        });
}
