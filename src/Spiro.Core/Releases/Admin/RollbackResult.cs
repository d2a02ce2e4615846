namespace Spiro.Core.Releases;

/// <summary>Outcome of switching a saltenv back to a kept release.</summary>
public abstract record RollbackResult
{
    private RollbackResult()
    {
    }

    /// <summary>The saltenv now serves <paramref name="Release"/>.</summary>
    /// <param name="Release">The release made live.</param>
    /// <param name="Previous">The release that was live before, if any.</param>
    public sealed record RolledBack(ReleaseInfo Release, string? Previous) : RollbackResult
    {
        /// <summary>Bookkeeping after the flip that failed (history, audit); the saltenv serves <see cref="Release"/> regardless. Callers show or log them.</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }

    /// <summary>Unknown saltenv, no earlier release, or the given release is not kept in this saltenv.</summary>
    public sealed record NotFound(string Message) : RollbackResult;

    /// <summary>The target release must not be live again (a confined project's release compiled without its allowed targets); nothing changed.</summary>
    public sealed record Refused(string Message) : RollbackResult;

    /// <summary>The saltenv stayed locked past the timeout.</summary>
    public sealed record Locked(string Message) : RollbackResult;
}
