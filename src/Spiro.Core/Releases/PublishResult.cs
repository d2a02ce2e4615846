namespace Spiro.Core.Releases;

/// <summary>Outcome of publishing a bundle; expected failures are values, not exceptions.</summary>
public abstract record PublishResult
{
    private PublishResult()
    {
    }

    /// <summary>The saltenv now serves <paramref name="Release"/>.</summary>
    public sealed record Published(ReleaseInfo Release) : PublishResult
    {
        /// <summary>Bookkeeping after the flip that failed (history, audit, retention); the release is live regardless. Callers log them.</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }

    /// <summary>The bundle or its spirotop was refused (4xx); the live release is unchanged.</summary>
    /// <param name="Rule">Short rule id (bundle rule, or <c>top-file</c>).</param>
    /// <param name="Message">One line naming the entry/file and the rule.</param>
    public sealed record Rejected(string Rule, string Message) : PublishResult;

    /// <summary>Another process held the saltenv's lock past the timeout.</summary>
    public sealed record Locked(string Message) : PublishResult;
}
