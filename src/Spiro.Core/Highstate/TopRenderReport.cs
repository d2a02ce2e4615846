namespace Spiro.Core.Highstate;

/// <summary>What rendering a top file on the minions gave.</summary>
/// <param name="Answered">Minions that answered, sorted.</param>
/// <param name="Errors">Minions whose render failed: minion to Salt's error text.</param>
/// <param name="Failure">Why salt itself failed (not run, timed out, no answer at all), else null.</param>
public sealed record TopRenderReport(IReadOnlyList<string> Answered, IReadOnlyDictionary<string, string> Errors, string? Failure);
