namespace Spiro.Core.Releases.Plans;

/// <summary>Outcome of applying a plan; expected refusals are values.</summary>
public abstract record ApplyResult
{
    private ApplyResult()
    {
    }

    /// <summary>The candidate is live now.</summary>
    /// <param name="Release">The applied release, live.</param>
    /// <param name="Previous">The release live before, or null.</param>
    public sealed record Applied(ReleaseInfo Release, string? Previous) : ApplyResult
    {
        /// <summary>Bookkeeping after the flip that failed; the release is live regardless.</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }

    /// <summary>No such plan for the saltenv, or it was applied already (404).</summary>
    public sealed record NotFound(string Message) : ApplyResult;

    /// <summary>The plan expired; its candidate is removed (410).</summary>
    public sealed record Expired(string Message) : ApplyResult;

    /// <summary>The live release moved since the plan was made (409; <c>force</c> applies anyway).</summary>
    /// <param name="Live">The release live now.</param>
    /// <param name="Base">The release that was live when the plan was made.</param>
    public sealed record Stale(string Message, string? Live, string? Base) : ApplyResult;

    /// <summary>The candidate must not go live: its top file was compiled without the project's current allowed targets (409; not forceable).</summary>
    public sealed record Refused(string Message) : ApplyResult;

    /// <summary>Another process held the saltenv's lock past the timeout.</summary>
    public sealed record Locked(string Message) : ApplyResult;
}
