using System.Text.Json.Nodes;

namespace Spiro.Core.Highstate;

/// <summary>
/// Collects the documents of one streaming highstate. A minion's FIRST return wins: salt may print
/// a second, bogus document for a minion (<c>{"m2": "Error: no.None"}</c>) after its real return.
/// </summary>
internal sealed class HighstateCollector(IReadOnlyList<string> targeted, bool batchMode = false)
{
    // In batch mode salt prints {minion: return, "retcode": N, "jid": "..."}: the extra keys are not minions
    // (salt/cli/batch.py passes the whole part, return renamed to the minion id, to display_output).
    private static readonly HashSet<string> BatchKeys = new(StringComparer.Ordinal) { "retcode", "jid", "out", "ret", "failed" };

    private readonly Dictionary<string, MinionSummary> _returned = new(StringComparer.Ordinal);
    private const int MaxMessages = 20;
    private readonly List<string> _order = [];
    private readonly List<string> _messages = [];

    /// <summary>Non-JSON lines salt printed on stdout (e.g. "No minions matched the target"), the first few.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Whether any minion's document arrived.</summary>
    public bool AnyReturned => _order.Count > 0;

    public void NoteSkipped(string text)
    {
        if (_messages.Count < MaxMessages)
        {
            _messages.Add(text);
        }
    }

    /// <summary>Returns of minions seen for the first time in <paramref name="document"/>, and minions seen again (ignored).</summary>
    public (IReadOnlyList<(string Minion, JsonNode? Return, MinionSummary Summary)> Fresh, IReadOnlyList<string> Repeated) Accept(JsonObject document)
    {
        var fresh = new List<(string, JsonNode?, MinionSummary)>();
        var repeated = new List<string>();
        foreach (var (minion, value) in document)
        {
            if (batchMode && document.Count > 1 && BatchKeys.Contains(minion))
            {
                continue;
            }

            if (_returned.ContainsKey(minion))
            {
                repeated.Add(minion);
                continue;
            }

            var summary = MinionSummarizer.Summarize(minion, value);
            _returned[minion] = summary;
            _order.Add(minion);
            fresh.Add((minion, value?.DeepClone(), summary));
        }

        return (fresh, repeated);
    }

    /// <summary>
    /// Every minion's summary, targeted first in target order then any extra minion salt reported;
    /// and the minions that did not return (absent, or salt's "Minion did not return").
    /// </summary>
    public (IReadOnlyList<MinionSummary> Summaries, IReadOnlyList<string> Missing) Finish()
    {
        var summaries = targeted
            .Select(minion => _returned.TryGetValue(minion, out var summary) ? summary : MinionSummary.NeverReturned(minion))
            .Concat(_order.Where(minion => !targeted.Contains(minion, StringComparer.Ordinal)).Select(minion => _returned[minion]))
            .ToList();
        var missing = summaries.Where(summary => summary.Outcome == MinionOutcome.NoReturn).Select(summary => summary.Minion).ToList();
        return (summaries, missing);
    }
}
