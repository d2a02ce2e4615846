using System.Data.Common;
using Spiro.Core.Names;

namespace Spiro.Core.Releases.Sharing;

/// <summary>
/// Several masters serving one set of releases (docs/cluster.md): what the store asks of the
/// cluster before a live pointer changes. Set in <see cref="StoreOptions.Sharing"/>; null (the
/// default) is one master, whose data directory is the whole truth. With it, the shared database
/// records every pointer change before this master's symlink moves, so a change the cluster did
/// not record is never served, and every other master follows (<see cref="IReleaseSource"/>).
/// </summary>
public interface IReleaseSharing
{
    /// <summary>
    /// The cross-master lock on <paramref name="saltEnv"/>, taken after this master's own lock on
    /// it; null when another master held it for longer than <paramref name="timeout"/>.
    /// </summary>
    Task<IDisposable?> LockAsync(SaltEnvName saltEnv, TimeSpan timeout, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Where this master reads the cluster's manifests and content (to make a release it lacks).</summary>
    IReleaseSource Source { get; }

    /// <summary>The cluster's pointer of <paramref name="saltEnv"/> now (another master may have moved it since this one last followed); null when it has none.</summary>
    SharedPointer? CurrentPointer(SaltEnvName saltEnv);

    /// <summary>Stores every content of a new release in the shared content store, before anything refers to it.</summary>
    Task UploadAsync(IReadOnlyList<SharedContent> objects, CancellationToken cancellationToken);

    /// <summary>
    /// Inside the transaction that records the change (release row, history): the cluster's pointer
    /// of <paramref name="saltEnv"/> now names <paramref name="releaseId"/> (null: the saltenv is
    /// deleted), and <paramref name="manifestJson"/> (when given) is the release's manifest for the
    /// masters that do not have it. The other masters are told when the transaction commits.
    /// </summary>
    void MovePointer(DbTransaction transaction, SaltEnvName saltEnv, string? releaseId, string? manifestJson);

    /// <summary>
    /// Records <paramref name="manifestJson"/> as release <paramref name="releaseId"/>'s manifest
    /// without moving any pointer (a plan's candidate: any master can make it when the plan is
    /// applied through it); inside <paramref name="transaction"/> when given.
    /// </summary>
    void ShareManifest(DbTransaction? transaction, SaltEnvName saltEnv, string releaseId, string manifestJson);

    /// <summary>This master now serves <paramref name="releaseId"/> (null: nothing) in <paramref name="saltEnv"/>, as the cluster's pointer says.</summary>
    void Applied(SaltEnvName saltEnv, string? releaseId);
}

/// <summary>One content of a release: its sha256 and a file holding those bytes.</summary>
public sealed record SharedContent(string Sha256, string File);
