using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>
/// Collects the documents of one streaming highstate. A minion's FIRST return wins: salt may print
/// a second, bogus document for a minion (<c>{"m2": "Error: no.None"}</c>) after its real return.
/// </summary>
internal sealed partial class HighstateCollector(IReadOnlyList<string> targeted, bool batchMode = false)
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

    /// <summary>The job id salt printed (<c>--show-jid</c>, or batch mode's <c>jid</c> key); empty until seen.</summary>
    public string Jid { get; private set; } = "";

    public void NoteSkipped(string text)
    {
        if (JidLine().Match(text) is { Success: true } jid)
        {
            Jid = Jid.Length == 0 ? jid.Groups[1].Value : Jid;
            return;
        }

        if (_messages.Count < MaxMessages)
        {
            _messages.Add(text);
        }
    }

    /// <summary>
    /// Returns of minions seen for the first time in <paramref name="document"/> (with the
    /// <c>cmd_iter</c> value to send, null for a minion that did not return: that is sent at the
    /// end), and minions seen again (ignored).
    /// </summary>
    public (IReadOnlyList<(string Minion, JsonObject? Result, MinionSummary Summary)> Fresh, IReadOnlyList<string> Repeated) Accept(JsonObject document)
    {
        var batchDocument = batchMode && document.Count > 1;
        int? batchRetcode = null;
        var jid = Jid;
        if (batchDocument)
        {
            // Each batch is its own job: its documents carry their own jid.
            batchRetcode = document["retcode"] is JsonValue code && code.TryGetValue<int>(out var number) ? number : null;
            if (document["jid"] is JsonValue batchJid && batchJid.TryGetValue<string>(out var text))
            {
                jid = text;
                Jid = Jid.Length == 0 ? text : Jid;
            }
        }

        var fresh = new List<(string, JsonObject?, MinionSummary)>();
        var repeated = new List<string>();
        foreach (var (minion, value) in document)
        {
            if (batchDocument && BatchKeys.Contains(minion))
            {
                continue;
            }

            if (_returned.ContainsKey(minion))
            {
                repeated.Add(minion);
                continue;
            }

            // Salt's own retcode when batch mode printed it, else the one Salt sets for this return.
            var summary = MinionSummarizer.Summarize(minion, batchRetcode is { } retcode ? CmdIterResult.Returned(jid, value, retcode) : value);
            _returned[minion] = summary;
            _order.Add(minion);
            var result = summary.Outcome == MinionOutcome.NoReturn ? null : CmdIterResult.Returned(jid, value, summary.Retcode ?? SaltRetcode.CompilerError);
            fresh.Add((minion, result, summary));
        }

        return (fresh, repeated);
    }

    /// <summary>
    /// Every minion's summary, targeted first in target order then any extra minion salt reported;
    /// and the minions that did not return (absent, <c>{}</c> in batch mode, or salt's "Minion did not return").
    /// </summary>
    public (IReadOnlyList<MinionSummary> Summaries, IReadOnlyList<string> Missing) Finish()
    {
        var summaries = targeted
            .Select(minion => _returned.TryGetValue(minion, out var summary) ? summary : MinionSummary.NeverReturned(minion, "the minion did not return (no document in salt's output)"))
            .Concat(_order.Where(minion => !targeted.Contains(minion, StringComparer.Ordinal)).Select(minion => _returned[minion]))
            .ToList();
        var missing = summaries.Where(summary => summary.Outcome == MinionOutcome.NoReturn).Select(summary => summary.Minion).ToList();
        return (summaries, missing);
    }

    [GeneratedRegex(@"\Ajid: ([0-9]+)\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex JidLine();
}
