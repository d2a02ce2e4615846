namespace Spiro.Deploy.Results;

/// <summary>One state of a minion's highstate return.</summary>
/// <param name="Id">The state's <c>__id__</c> (or the id part of its key).</param>
/// <param name="Name">The state's <c>name</c>.</param>
/// <param name="Function">module.function, e.g. <c>file.managed</c>, from the key.</param>
/// <param name="Result">true, false, or null (would change under test=True).</param>
/// <param name="Changed">Whether <c>changes</c> is non-empty.</param>
/// <param name="Comment">The state's comment.</param>
/// <param name="DurationMs">The state's duration in milliseconds (0 when absent).</param>
/// <param name="RunNumber">The state's <c>__run_num__</c> (order).</param>
internal sealed record StateOutcome(
    string Id,
    string Name,
    string Function,
    bool? Result,
    bool Changed,
    string Comment,
    double DurationMs,
    int RunNumber);
