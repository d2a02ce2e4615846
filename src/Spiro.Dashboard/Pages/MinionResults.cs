using Spiro.Protocol.Highstate;
using Spiro.Core.Highstate;
using Spiro.Dashboard.Html;

namespace Spiro.Dashboard.Pages;

/// <summary>Per-minion highstate results; a failing minion's states are shown expanded.</summary>
internal static class MinionResults
{
    /// <summary>Writes one card per minion. <paramref name="changes"/> gives a failing state's changes (JSON) when known.</summary>
    public static void Render(Html.Html h, IReadOnlyList<MinionSummary> minions, Func<MinionSummary, int, string?>? changes = null)
    {
        h.Open("div", ("class", "minions"));
        foreach (var minion in minions)
        {
            var outcome = minion.Outcome.ToText();
            var succeeded = minion.Outcome == MinionOutcome.Succeeded;
            h.Open("details", ("class", "minion " + (succeeded ? "succeeded" : "failed")), ("data-minion", minion.Minion), ("open", succeeded ? null : ""));
            h.Open("summary");
            h.Element("b", minion.Minion).Text(" ");
            h.Element("span", outcome, ("class", "status " + (succeeded ? "succeeded" : "failed")));
            h.Text($" {minion.Ok} ok, {minion.Changed} changed, {minion.Failed} failed, {minion.DurationMs:0.#} ms");
            h.Close("summary");
            foreach (var error in minion.Errors)
            {
                h.Element("pre", error, ("class", "error"));
            }

            var failing = minion.FailingStates.ToList();
            for (var i = 0; i < failing.Count; i++)
            {
                var state = failing[i];
                h.Open("div", ("class", "failing-state"));
                h.Open("dl");
                Pair(h, "id", state.Id);
                Pair(h, "name", state.Name);
                Pair(h, "sls", state.Sls);
                h.Element("dt", "comment").Open("dd").Element("pre", state.Comment, ("class", "comment")).Close("dd");
                if (changes?.Invoke(minion, i) is { } json)
                {
                    h.Element("dt", "changes").Open("dd").Element("pre", json, ("class", "changes")).Close("dd");
                }

                h.Close("dl").Close("div");
            }

            h.Close("details");
        }

        h.Close("div");
    }

    private static void Pair(Html.Html h, string name, string value) => h.Element("dt", name).Element("dd", value);
}
