using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Protocol.Highstate;
using Spiro.Core.Highstate;
using Spiro.Dashboard.Html;

namespace Spiro.Dashboard.Pages;

/// <summary>Per-minion highstate results; a failing minion's states are shown expanded.</summary>
internal static class MinionResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one card per minion, its failing states with their kept <c>changes</c> (<see cref="StateResult.Changes"/>).</summary>
    public static void Render(Html.Html h, IReadOnlyList<MinionSummary> minions)
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

            foreach (var state in minion.FailingStates)
            {
                h.Open("div", ("class", "failing-state"));
                h.Open("dl");
                Pair(h, "id", state.Id);
                Pair(h, "name", state.Name);
                Pair(h, "sls", state.Sls);
                h.Element("dt", "comment").Open("dd").Element("pre", state.Comment, ("class", "comment")).Close("dd");
                if (state.Changes is { } json)
                {
                    h.Element("dt", "changes").Open("dd").Element("pre", Indent(json), ("class", "changes")).Close("dd");
                }
                else if (state.Changed)
                {
                    h.Element("dt", "changes").Element("dd", $"not kept: over {StateResult.MaxKeptChangesBytes / 1024} KiB (the minion's job return has them)", ("class", "changes-not-kept"));
                }

                h.Close("dl").Close("div");
            }

            h.Close("details");
        }

        h.Close("div");
    }

    private static string Indent(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Indented) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Pair(Html.Html h, string name, string value) => h.Element("dt", name).Element("dd", value);
}
