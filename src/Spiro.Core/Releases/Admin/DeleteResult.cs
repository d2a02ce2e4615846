using Spiro.Core.Names;

namespace Spiro.Core.Releases;

/// <summary>Outcome of deleting a saltenv.</summary>
public abstract record DeleteResult
{
    private DeleteResult()
    {
    }

    /// <summary>The pointer is gone, then every release of the saltenv.</summary>
    public sealed record Deleted(SaltEnvName SaltEnv, string? WasLive, IReadOnlyList<string> RemovedReleases) : DeleteResult;

    /// <summary>The saltenv has no pointer and no releases.</summary>
    public sealed record NotFound(string Message) : DeleteResult;

    /// <summary>The saltenv stayed locked past the timeout.</summary>
    public sealed record Locked(string Message) : DeleteResult;
}
