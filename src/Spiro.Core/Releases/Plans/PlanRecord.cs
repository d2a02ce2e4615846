using Spiro.Core.Names;

namespace Spiro.Core.Releases.Plans;

/// <summary>
/// A plan: a candidate release of <paramref name="SaltEnv"/> that is stored but not live, and the
/// live release it was compared with. Its id is the candidate's release id.
/// </summary>
/// <param name="Id">The candidate's release id (also the plan id).</param>
/// <param name="SaltEnv">The saltenv the candidate would go live in.</param>
/// <param name="BaseRelease">The release live in <paramref name="SaltEnv"/> when the plan was made; null when none was.</param>
/// <param name="Created">When the plan was made.</param>
/// <param name="Expires">After this the plan can no longer be applied, and retention removes the candidate.</param>
/// <param name="Actor">Who made it (token label).</param>
/// <param name="AppliedAt">When it went live; null while it is a candidate.</param>
/// <param name="RemovedAt">When its candidate was removed (expired); null while it is kept.</param>
public sealed record PlanRecord(
    string Id,
    SaltEnvName SaltEnv,
    string? BaseRelease,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string Actor,
    DateTimeOffset? AppliedAt,
    DateTimeOffset? RemovedAt)
{
    /// <summary>Whether the candidate is still waiting to be applied (neither applied nor removed).</summary>
    public bool Pending => AppliedAt is null && RemovedAt is null;

    /// <summary>Whether it is past its expiry at <paramref name="now"/>.</summary>
    public bool ExpiredAt(DateTimeOffset now) => now >= Expires;
}
