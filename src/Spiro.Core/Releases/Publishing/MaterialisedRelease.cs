namespace Spiro.Core.Releases.Publishing;

/// <summary>A release that is live, and what went wrong after its flip (it is live all the same).</summary>
/// <param name="Release">The live release.</param>
/// <param name="Warnings">Bookkeeping steps after the flip that failed; recovery repairs them at the next start-up.</param>
internal sealed record MaterialisedRelease(ReleaseInfo Release, IReadOnlyList<string> Warnings);
