using Spiro.Core.Metadata;
using Spiro.Core.Releases.Collection;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Locks;
using Spiro.Core.Releases.Objects;
using Spiro.Core.Releases.Plans;
using Spiro.Core.Releases.Retention;

namespace Spiro.Core.Releases;

/// <summary>The store's parts, wired once at open and shared by the operations.</summary>
internal sealed class StoreServices
{
    public StoreServices(StoreOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        Layout = new StoreLayout(options.DataDirectory);
        Layout.Create();
        SpaceReserve = new SpaceReserve(Layout.SpaceReserve);
        Database = options.Metadata ?? MetadataDatabase.Open(Layout.Database, SpaceReserve);
        Repository = new ReleaseRepository(Database);
        Audit = new AuditLog(Database, time);
        Objects = new ObjectStore(Layout);
        Sharing = options.Sharing;
        Locks = new SaltEnvLocks(Layout, time, options.LockTimeout, Known, options.Sharing);
        Remover = new ReleaseRemover(Layout, Repository, time);
        Retainer = new Retainer(Layout, Repository, Remover, options.KeepReleases);
        Collector = new GarbageCollector(Layout, Objects);
        Plans = new PlanRepository(Database);
        Candidates = new CandidateRemover(Layout, Plans, Remover, time);
        Policies = new Projects.ProjectPolicies(Layout, Audit, time);
    }

    public PlanRepository Plans { get; }

    /// <summary>The cluster this master is part of, or null (one master).</summary>
    public Sharing.IReleaseSharing? Sharing { get; }

    /// <summary>
    /// The release <paramref name="saltEnv"/> is live at, as a change under its lock must see it: in
    /// a cluster the cluster's pointer (another master may have moved it since this one followed),
    /// otherwise this data directory's symlink.
    /// </summary>
    public string? Live(Names.SaltEnvName saltEnv) =>
        Sharing?.CurrentPointer(saltEnv) is { } shared ? shared.ReleaseId : Layout.LiveRelease(saltEnv);

    public CandidateRemover Candidates { get; }

    public SpaceReserve SpaceReserve { get; }

    public Projects.ProjectPolicies Policies { get; }

    public StoreOptions Options { get; }

    // A saltenv never published (its first publish refused) leaves no lock file or staging directory behind.
    // When the database cannot say, the lock file stays (it is only a leftover, never a wrong lock).
    private bool Known(Names.SaltEnvName saltEnv)
    {
        try
        {
            return Layout.LiveRelease(saltEnv) is not null || Repository.Active(saltEnv).Count > 0 || Repository.History(saltEnv).Count > 0;
        }
        catch (System.Data.Common.DbException)
        {
            return true;
        }
    }

    public TimeProvider Time { get; }

    public StoreLayout Layout { get; }

    public MetadataDatabase Database { get; }

    public ReleaseRepository Repository { get; }

    public AuditLog Audit { get; }

    public ObjectStore Objects { get; }

    public SaltEnvLocks Locks { get; }

    public ReleaseRemover Remover { get; }

    public Retainer Retainer { get; }

    public GarbageCollector Collector { get; }

    /// <summary>Collects unreferenced objects if no publish is adopting objects right now; otherwise a later run will.</summary>
    public void TryCollectGarbage()
    {
        using var exclusive = FileLock.TryTake(Layout.ObjectsLock, exclusive: true);
        if (exclusive is not null)
        {
            Collector.Collect(dryRun: false);
        }
    }

    /// <summary>Shared hold on the objects: garbage collection waits until the holder's manifest is in place.</summary>
    public async Task<FileLock> HoldObjectsAsync(CancellationToken cancellationToken) =>
        await FileLock.TakeAsync(Layout.ObjectsLock, exclusive: false, Options.LockTimeout, null, cancellationToken).ConfigureAwait(false)
        ?? throw new TimeoutException($"garbage collection held {Layout.ObjectsLock} for longer than {Options.LockTimeout}");
}
