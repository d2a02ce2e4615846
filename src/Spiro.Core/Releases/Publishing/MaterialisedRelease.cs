namespace Spiro.Core.Releases.Publishing;

/// <summary>A release that is live, and what went wrong after its flip (it is live all the same); or why the render gate kept it from going live.</summary>
/// <param name="Release">The live release; null when <paramref name="Refusal"/> is set.</param>
/// <param name="Warnings">Bookkeeping steps after the flip that failed; recovery repairs them at the next start-up.</param>
/// <param name="Refusal">The render gate's refusal: nothing went live and the release is gone again.</param>
internal sealed record MaterialisedRelease(ReleaseInfo? Release, IReadOnlyList<string> Warnings, string? Refusal = null);
