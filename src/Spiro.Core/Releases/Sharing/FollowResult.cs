namespace Spiro.Core.Releases.Sharing;

/// <summary>What following the cluster's pointer of one saltenv did (<see cref="ReleaseStore.FollowAsync"/>).</summary>
public abstract record FollowResult
{
    private FollowResult()
    {
    }

    /// <summary>This master already served what the pointer names.</summary>
    public sealed record Unchanged(SharedPointer Target) : FollowResult;

    /// <summary>The symlink now names the pointer's release (made from the bucket when it was missing here), or is gone (deleted).</summary>
    /// <param name="Fetched">Objects fetched from the shared content store.</param>
    public sealed record Applied(SharedPointer Target, string? Previous, int Fetched) : FollowResult;

    /// <summary>The cluster has no pointer for the saltenv.</summary>
    public sealed record NoPointer : FollowResult;

    /// <summary>Another process of this master holds the saltenv's lock; the next round tries again.</summary>
    public sealed record Busy(string Message) : FollowResult;
}
