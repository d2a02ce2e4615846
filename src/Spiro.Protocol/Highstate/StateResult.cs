namespace Spiro.Protocol.Highstate;

/// <summary>One state of a minion's highstate return.</summary>
/// <param name="Id">The state id (<c>__id__</c>, else the id part of the state key).</param>
/// <param name="Name">The state's <c>name</c> (else the name part of the key).</param>
/// <param name="Function">module.function from the key, e.g. <c>file.managed</c>.</param>
/// <param name="Sls">The SLS it came from (<c>__sls__</c>), empty when Salt gave none.</param>
/// <param name="Result">true, false, or null: would change under test=True, or no <c>result</c> at all (Salt does not count that as a failure).</param>
/// <param name="Changed">Whether <c>changes</c> is non-empty.</param>
/// <param name="Comment">Salt's comment (lines joined with newlines).</param>
/// <param name="DurationMs">The state's <c>duration</c> in milliseconds (0 when absent).</param>
/// <param name="RunNumber">The state's <c>__run_num__</c> (order; <see cref="int.MaxValue"/> when absent).</param>
/// <param name="Changes">
/// A failing state's <c>changes</c> as compact JSON, kept so the results say what the failure left
/// behind; null for states that did not fail, for none, for changes over <see cref="MaxKeptChangesBytes"/>
/// (a file diff can be megabytes) and once the minion's <see cref="MaxKeptChangesBytesPerMinion"/> is used up;
/// <see cref="Changed"/> still says there were some.
/// </param>
public sealed record StateResult(
    string Id,
    string Name,
    string Function,
    string Sls,
    bool? Result,
    bool Changed,
    string Comment,
    double DurationMs,
    int RunNumber,
    string? Changes = null)
{
    /// <summary>The largest <see cref="Changes"/> kept per failing state, in UTF-8 bytes of compact JSON.</summary>
    public const int MaxKeptChangesBytes = 8 * 1024;

    /// <summary>The most <see cref="Changes"/> kept over all failing states of one minion's run (the first ones in run order).</summary>
    public const int MaxKeptChangesBytesPerMinion = 64 * 1024;
}
