using System.Text.Json.Serialization;

namespace Spiro.Protocol.Highstate;

/// <summary>
/// A <see cref="MinionSummary"/> as JSON: the <c>minions</c> map of <c>highstate-finish</c>, the
/// results of <c>spiro query-highstate --json</c> and the stored rows (docs/api.md).
/// </summary>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, <c>render-error</c>, <c>no-return</c> or <c>error</c>.</param>
/// <param name="Ok">States ok without changes.</param>
/// <param name="Changed">States that changed something.</param>
/// <param name="WouldChange">States with <c>result: null</c> (test=True).</param>
/// <param name="Failed">States with <c>result: false</c>.</param>
/// <param name="Retcode">Salt's retcode for the minion, null when it did not return.</param>
/// <param name="DurationMs">Sum of state durations.</param>
/// <param name="Failing">The failing states in run order.</param>
/// <param name="Errors">Render errors, exception or no-return text.</param>
public sealed record MinionReport(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("ok")] int Ok,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("would_change")] int WouldChange,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("retcode")] int? Retcode,
    [property: JsonPropertyName("duration_ms")] double DurationMs,
    [property: JsonPropertyName("failing")] IReadOnlyList<FailingStateReport> Failing,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors)
{
    /// <summary>The JSON view of <paramref name="summary"/>.</summary>
    public static MinionReport From(MinionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(
            summary.Outcome.ToText(), summary.Ok, summary.Changed, summary.WouldChange, summary.Failed, summary.Retcode, summary.DurationMs,
            [.. summary.FailingStates.Select(FailingStateReport.From)], summary.Errors);
    }

    /// <summary>Back to a summary (its <see cref="MinionSummary.States"/> are the failing ones only).</summary>
    public MinionSummary ToSummary(string minion) => new(
        minion, MinionOutcomeText.Parse(Outcome), Ok, Changed, WouldChange, Failed,
        [.. (Failing ?? []).Select(state => state.ToState())], Errors ?? [], DurationMs, Retcode);
}
