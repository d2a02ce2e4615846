namespace Spiro.Dashboard.Cluster;

/// <summary>What waiting for the live masters after a change came to (<see cref="IMastersWait"/>).</summary>
/// <param name="Serving">The masters seen serving the change, in the order they did.</param>
/// <param name="Laggards">The live masters that did not within <c>cluster.apply_timeout</c> (they keep following).</param>
/// <param name="Problem">Null when every live master serves it; otherwise the warning naming the laggards (or why nobody could tell).</param>
public sealed record MastersWaited(IReadOnlyList<string> Serving, IReadOnlyList<string> Laggards, string? Problem);
