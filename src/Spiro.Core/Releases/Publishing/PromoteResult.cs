namespace Spiro.Core.Releases;

/// <summary>Outcome of promoting a release of one deployment into another of the same project.</summary>
public abstract record PromoteResult
{
    private PromoteResult()
    {
    }

    /// <summary>The target saltenv now serves a new release sharing the source's content.</summary>
    /// <param name="Release">The new release in the target saltenv.</param>
    /// <param name="SourceId">The promoted release.</param>
    public sealed record Promoted(ReleaseInfo Release, string SourceId) : PromoteResult
    {
        /// <summary>Bookkeeping after the flip that failed (history, audit, retention); the release is live regardless. Callers log them.</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }

    /// <summary>No such saltenv or release.</summary>
    public sealed record NotFound(string Message) : PromoteResult;

    /// <summary>Refused: different projects, same saltenv, or the spirotop does not compile for the target.</summary>
    public sealed record Rejected(string Rule, string Message) : PromoteResult;

    /// <summary>A saltenv stayed locked past the timeout.</summary>
    public sealed record Locked(string Message) : PromoteResult;
}
