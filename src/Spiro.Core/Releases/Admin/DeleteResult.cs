using Spiro.Core.Names;

namespace Spiro.Core.Releases;

/// <summary>Outcome of deleting a saltenv.</summary>
public abstract record DeleteResult
{
    private DeleteResult()
    {
    }

    /// <summary>The pointer is gone, then every release of the saltenv (those in <c>RemovedReleases</c>).</summary>
    public sealed record Deleted(SaltEnvName SaltEnv, string? WasLive, IReadOnlyList<string> RemovedReleases) : DeleteResult
    {
        /// <summary>Steps after the pointer went that failed (history, a release's removal, audit); the saltenv is deleted regardless. Callers show or log them.</summary>
        public IReadOnlyList<string> Warnings { get; init; } = [];
    }

    /// <summary>The saltenv has no pointer and no releases.</summary>
    public sealed record NotFound(string Message) : DeleteResult;

    /// <summary>The saltenv stayed locked past the timeout.</summary>
    public sealed record Locked(string Message) : DeleteResult;
}
