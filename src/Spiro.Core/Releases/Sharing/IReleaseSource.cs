using Spiro.Core.Names;
using Spiro.Core.Releases.Objects;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// Where a master following the cluster reads what to serve (<see cref="ReleaseStore.FollowAsync"/>):
/// the cluster's pointer of a saltenv, the manifests of its releases and their content.
/// </summary>
public interface IReleaseSource
{
    /// <summary>The shared content (the bucket).</summary>
    IContentStore Content { get; }

    /// <summary>How many objects a master fetches from <see cref="Content"/> at once (at least 1).</summary>
    int FetchParallelism { get; }

    /// <summary>The cluster's pointer of <paramref name="saltEnv"/> now; null when the cluster has none.</summary>
    SharedPointer? CurrentPointer(SaltEnvName saltEnv);

    /// <summary>The manifest of <paramref name="releaseId"/> as the publishing master wrote it; null when the cluster has none.</summary>
    string? Manifest(string releaseId);

    /// <summary>This master now serves what <paramref name="target"/> names.</summary>
    void Applied(SaltEnvName saltEnv, SharedPointer target);
}

/// <summary>The cluster's pointer of a saltenv: the release it names (null: deleted) and its version (it grows with every change).</summary>
public sealed record SharedPointer(string? ReleaseId, long Version);
