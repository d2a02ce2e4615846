using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Releases.Admin;
using Spiro.Core.Releases.Locks;
using Spiro.Core.Releases.Publishing;
using Spiro.Core.Releases.Recovery;

namespace Spiro.Core.Releases;

/// <summary>
/// The release store (docs/storage.md): atomic publish, history, rollback, promote, retention.
/// Safe to use from several processes at once: every change of a saltenv runs under that
/// saltenv's OS file lock.
/// </summary>
public sealed class ReleaseStore
{
    private readonly StoreServices _store;
    private readonly ReleaseMaterialiser _materialiser;

    // Parsed once per release for every negotiated upload this store answers (manifests never change).
    private readonly Deltas.ProjectContent _projectContent = new();

    private ReleaseStore(StoreServices store)
    {
        _store = store;
        _materialiser = new ReleaseMaterialiser(store);
    }

    /// <summary>The store's settings.</summary>
    public StoreOptions Options => _store.Options;

    /// <summary>Clock used for release ids and history.</summary>
    public TimeProvider Time => _store.Time;

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory => _store.Layout.Root;

    /// <summary>The metadata database (<c>spiro.db</c>) the store records into.</summary>
    public MetadataDatabase Database => _store.Database;

    /// <summary>The data directory's space reserve (docs/storage.md).</summary>
    public SpaceReserve SpaceReserve => _store.SpaceReserve;

    /// <summary>The audit log every change is appended to.</summary>
    public AuditLog Audit => _store.Audit;

    /// <summary>Per-project settings: the allowed targets of a confined project.</summary>
    public Projects.ProjectPolicies Projects => _store.Policies;

    internal StoreServices Services => _store;

    /// <summary>Opens the store, creating the layout and cleaning leftovers of interrupted work.</summary>
    public static ReleaseStore Open(StoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeepReleases);
        var services = new StoreServices(options, time);
        var settings = new StoreSettings(services.Database);
        if (!options.KeepReleasesFromDataDirectory)
        {
            settings.SaveKeepReleases(options.KeepReleases);
        }
        else if (settings.KeepReleases() is { } saved && saved != options.KeepReleases)
        {
            services = new StoreServices(options with { KeepReleases = saved }, time);
        }

        new StoreRecovery(services).Run();
        return new ReleaseStore(services);
    }

    /// <summary>Streams <paramref name="bundle"/> into a new release and makes it live.</summary>
    public Task<PublishResult> PublishAsync(SaltEnvName saltEnv, Stream bundle, PublishContext context, CancellationToken cancellationToken) =>
        new BundlePublisher(_store, _materialiser).PublishAsync(saltEnv, bundle, context, cancellationToken);

    /// <summary>
    /// Negotiated upload, first step: indexes of <paramref name="plan"/>'s files whose content no
    /// kept release of <paramref name="project"/> holds (other projects' content counts as missing).
    /// </summary>
    public IReadOnlyList<int> MissingContent(string project, IReadOnlyList<Deltas.PlannedEntry> plan) =>
        new Deltas.DeltaPublisher(_store, new BundlePublisher(_store, _materialiser), _projectContent).Missing(project, plan);

    /// <summary>
    /// Negotiated upload, second step: publishes the bundle <paramref name="plan"/> describes, its
    /// missing files read from <paramref name="upload"/> (a tar, plan order), exactly as
    /// <see cref="PublishAsync"/> would publish the full bundle. The plan must pass <see cref="Deltas.DeltaPlanRules.Check"/>.
    /// </summary>
    public Task<PublishResult> PublishPlannedAsync(SaltEnvName saltEnv, IReadOnlyList<Deltas.PlannedEntry> plan, Stream upload, PublishContext context, CancellationToken cancellationToken) =>
        new Deltas.DeltaPublisher(_store, new BundlePublisher(_store, _materialiser), _projectContent).PublishAsync(saltEnv, plan, upload, context, cancellationToken);

    /// <summary>Switches <paramref name="saltEnv"/> to <paramref name="releaseId"/>, or to the newest release older than the live one.</summary>
    public Task<RollbackResult> RollbackAsync(SaltEnvName saltEnv, string? releaseId, PublishContext context, CancellationToken cancellationToken) =>
        new PointerOperations(_store, _materialiser).RollbackAsync(saltEnv, releaseId, context, cancellationToken);

    /// <summary>Publishes a kept release of <paramref name="from"/> (default: its live one) into <paramref name="to"/> of the same project.</summary>
    public Task<PromoteResult> PromoteAsync(SaltEnvName from, SaltEnvName to, string? releaseId, PublishContext context, CancellationToken cancellationToken) =>
        new Promoter(_store, _materialiser).PromoteAsync(from, to, releaseId, context, cancellationToken);

    /// <summary>
    /// Makes plan <paramref name="planId"/>'s candidate live in <paramref name="saltEnv"/>; refused when
    /// the plan expired, or the live release moved since the plan was made and <paramref name="force"/> is false.
    /// </summary>
    public Task<Plans.ApplyResult> ApplyPlanAsync(SaltEnvName saltEnv, string planId, bool force, PublishContext context, CancellationToken cancellationToken) =>
        new Plans.PlanApplier(_store, _materialiser).ApplyAsync(saltEnv, planId, force, context, cancellationToken);

    /// <summary>The plan <paramref name="planId"/> (pending, applied or removed), or null.</summary>
    public Plans.PlanRecord? FindPlan(string planId) => Layout.ReleaseId.IsValid(planId) ? _store.Plans.Find(planId) : null;

    /// <summary>The candidate release of a pending plan as a (not live) release, or null when it is gone.</summary>
    public ReleaseInfo? Candidate(Plans.PlanRecord plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var path = _store.Layout.Manifest(plan.Id);
        if (!plan.Pending || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return Spiro.Core.Releases.History.ReleaseRecord.From(Manifests.ManifestJson.Read(path)).ToInfo(live: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes the candidates of expired plans in every saltenv whose lock is free now; returns how many.</summary>
    public int CollectExpiredPlans()
    {
        var removed = 0;
        var now = _store.Time.GetUtcNow();
        foreach (var saltEnv in _store.Plans.Pending().Where(p => p.ExpiredAt(now)).Select(p => p.SaltEnv).Distinct())
        {
            using var held = _store.Locks.TryTake(saltEnv);
            if (held is not null)
            {
                removed += _store.Candidates.RemoveExpired(saltEnv).Count;
            }
        }

        if (removed > 0)
        {
            _store.TryCollectGarbage();
        }

        return removed;
    }

    /// <summary>
    /// In a cluster: makes this master serve what the cluster's pointer of <paramref name="saltEnv"/>
    /// names, materialising the release from <paramref name="source"/> when it is missing here.
    /// </summary>
    public Task<Sharing.FollowResult> FollowAsync(SaltEnvName saltEnv, Sharing.IReleaseSource source, CancellationToken cancellationToken) =>
        new Sharing.ReleaseFollower(_store, _materialiser).FollowAsync(saltEnv, source, cancellationToken);

    /// <summary>The release this master serves in <paramref name="saltEnv"/>, or null.</summary>
    public string? LiveRelease(SaltEnvName saltEnv) => _store.Layout.LiveRelease(saltEnv);

    /// <summary>Removes the saltenv: its pointer first, then its releases; history keeps the record.</summary>
    public Task<DeleteResult> DeleteAsync(SaltEnvName saltEnv, PublishContext context, CancellationToken cancellationToken) =>
        new PointerOperations(_store, _materialiser).DeleteAsync(saltEnv, context, cancellationToken);

    internal Task<PublishResult> PublishExtractedAsync(SaltEnvName saltEnv, string extractedTree, IReadOnlyList<Bundles.ManifestEntry> entries, string? gitCommit, Manifests.TopKind top, PublishContext context, CancellationToken cancellationToken) =>
        new BundlePublisher(_store, _materialiser).PublishExtractedAsync(saltEnv, extractedTree, entries, gitCommit, top, context, cancellationToken);

    /// <summary>Kept releases of <paramref name="saltEnv"/>, newest first; empty for an unknown saltenv.</summary>
    public IReadOnlyList<ReleaseInfo> Releases(SaltEnvName saltEnv)
    {
        var live = _store.Layout.LiveRelease(saltEnv);
        return _store.Repository.Active(saltEnv).Reverse().Select(r => r.ToInfo(r.Id == live)).ToList();
    }

    /// <summary>Every saltenv with a live release, ordered by name.</summary>
    public IReadOnlyList<DeploymentInfo> Deployments() =>
        _store.Layout.LivePointers()
            .Select(p => (p.SaltEnv, p.ReleaseId, Record: _store.Repository.Find(p.ReleaseId)))
            .Select(p => new DeploymentInfo(p.SaltEnv, p.ReleaseId, p.Record?.Created, p.Record?.PublishedBy))
            .ToList();

    /// <summary>The project's settings and live saltenvs, each saying whether Salt reads its top file (the Salt adapter's rule).</summary>
    public Projects.ProjectStatus ProjectStatus(string project)
    {
        var policy = _store.Policies.Get(project);
        var saltEnvs = _store.Layout.LivePointers()
            .Where(p => string.Equals(p.SaltEnv.Project, project, StringComparison.Ordinal))
            .Select(p => new Projects.ProjectSaltEnv(p.SaltEnv, p.ReleaseId, policy.AllowTargets is not { } allowed || TopFiles.TargetConfinement.ReleaseIsConfinedBy(_store.Layout.ReleaseTree(p.ReleaseId), Options.StateTop, allowed)))
            .ToList();
        return new Projects.ProjectStatus(policy, saltEnvs);
    }

    /// <summary>Pointer changes of <paramref name="saltEnv"/>, oldest first (kept after the saltenv is deleted).</summary>
    public IReadOnlyList<HistoryEntry> History(SaltEnvName saltEnv) => _store.Repository.History(saltEnv);

    /// <summary>The live release's tree, or null when the saltenv does not exist.</summary>
    public string? LiveReleasePath(SaltEnvName saltEnv) =>
        _store.Layout.LiveRelease(saltEnv) is { } id ? _store.Layout.ReleaseTree(id) : null;

    /// <summary>The targets <paramref name="releaseId"/>'s top file gives <paramref name="saltEnv"/> (who should highstate).</summary>
    public TopFiles.TopTargets TopTargets(SaltEnvName saltEnv, string releaseId) =>
        TopFiles.TopTargets.Read(_store.Layout.ReleaseTree(releaseId), Options.StateTop, saltEnv);

    /// <summary>Removes objects no kept release references; with <paramref name="dryRun"/> only lists them. <paramref name="actor"/> goes to the audit log.</summary>
    public async Task<GcResult> CollectGarbageAsync(bool dryRun, string actor, CancellationToken cancellationToken)
    {
        using var held = await FileLock.TakeAsync(_store.Layout.ObjectsLock, exclusive: true, Options.LockTimeout, null, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new GcResult.Locked($"a publish held the object store for longer than {Options.LockTimeout.TotalSeconds:0.#} s");
        }

        var result = _store.Collector.Collect(dryRun);
        if (!dryRun)
        {
            _store.Audit.Append(actor, "gc", "objects", "ok", $"removed {result.Objects.Count} objects, {result.Bytes} bytes");
        }

        return result;
    }
}
