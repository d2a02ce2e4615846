using Spiro.Core.Names;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Releases.Plans;

/// <summary>
/// Makes a plan's candidate live, exactly as it was planned (no new upload): under the saltenv's
/// lock, refused when the plan expired or the live release moved since the plan was made (unless
/// forced); then the flip and the same bookkeeping as a publish.
/// </summary>
internal sealed class PlanApplier(StoreServices store, ReleaseMaterialiser materialiser)
{
    public async Task<ApplyResult> ApplyAsync(SaltEnvName saltEnv, string planId, bool force, PublishContext context, CancellationToken cancellationToken)
    {
        if (!ReleaseId.IsValid(planId) || store.Plans.Find(planId) is not { } found || found.SaltEnv != saltEnv)
        {
            return new ApplyResult.NotFound($"no plan {planId} for {saltEnv}");
        }

        var (held, lockMessage) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new ApplyResult.Locked(lockMessage!);
        }

        using (held)
        {
            // Read again under the lock: another apply or retention may have run meanwhile.
            var plan = store.Plans.Find(planId)!;
            var live = store.Live(saltEnv);
            if (await FetchCandidateAsync(plan, context, cancellationToken).ConfigureAwait(false) is { } missing)
            {
                return missing;
            }

            if (Refusal(plan, live, force) is { } refusal)
            {
                store.Audit.Append(context.Actor, "apply", saltEnv.ToString(), "refused", $"plan {planId}: {refusal.GetType().Name.ToLowerInvariant()}");
                return refusal;
            }

            var manifest = ManifestJson.Read(store.Layout.Manifest(planId));
            var detail = $"plan {planId}; " + (live is null ? "first release" : $"replaces {live}") + (force && live != plan.BaseRelease ? " (forced: planned against " + (plan.BaseRelease ?? "no release") + ")" : "");
            var history = new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), planId, "apply", context.Actor, detail);
            var warnings = new List<string>();
            if (store.Sharing is { } sharing
                && await materialiser.ShareAsync(sharing, manifest, history, cancellationToken).ConfigureAwait(false) is { } shareWarning)
            {
                // As a publish in a cluster: content, release row and pointer recorded before the flip.
                warnings.Add(shareWarning);
            }

            materialiser.Flip(saltEnv, planId);

            RecordApplied(saltEnv, planId, manifest, history, detail, context, warnings);
            var info = (store.Repository.Find(planId) ?? ReleaseRecord.From(manifest)).ToInfo(live: true);
            return new ApplyResult.Applied(info, live) { Warnings = warnings };
        }
    }

    /// <summary>
    /// A plan made through another master: its candidate is made here from the cluster's copy
    /// before the checks; null when there is nothing to fetch or it was fetched.
    /// </summary>
    private async Task<ApplyResult?> FetchCandidateAsync(PlanRecord plan, PublishContext context, CancellationToken cancellationToken)
    {
        if (store.Sharing is not { } cluster || !plan.Pending || plan.ExpiredAt(store.Time.GetUtcNow()) || IsLocal(plan.Id))
        {
            return null;
        }

        if (cluster.Source.Manifest(plan.Id) is null)
        {
            return new ApplyResult.NotFound($"the candidate of plan {plan.Id} is not on this master and the cluster has no copy of it; apply it through the master that made the plan, or plan again");
        }

        context.Progress?.Report($"the candidate of plan {plan.Id} is not in this master's data directory: fetching it from the cluster");
        await new Sharing.SharedReleaseMaker(store).MaterialiseAsync(plan.SaltEnv, plan.Id, cluster.Source, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The bookkeeping after the flip: the candidate is live, so each failure is a warning, as after a publish's flip.</summary>
    private void RecordApplied(SaltEnvName saltEnv, string planId, ReleaseManifest manifest, HistoryEntry history, string detail, PublishContext context, List<string> warnings)
    {
        var recorded = store.Sharing is { } shared
            ? ReleaseMaterialiser.AfterFlip(warnings, "recording that this master serves it", () => shared.Applied(saltEnv, planId), "the cluster's status shows this master behind until it next follows")
            : ReleaseMaterialiser.AfterFlip(warnings, "recording the release in history", () => store.Repository.Record(ReleaseRecord.From(manifest), history));
        ReleaseMaterialiser.AfterFlip(warnings, "marking the plan applied", () =>
        {
            store.Plans.MarkApplied(planId, store.Time.GetUtcNow());
            store.Candidates.RemovePlanDirectory(planId);
        });
        ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
            store.Audit.Append(context.Actor, "apply", saltEnv.ToString(), "ok", $"release {planId}; {detail}"));
        if (recorded)
        {
            ReleaseMaterialiser.AfterFlip(warnings, "applying retention", () =>
            {
                if (store.Retainer.Apply(saltEnv).Count + store.Candidates.RemoveExpired(saltEnv).Count > 0)
                {
                    store.TryCollectGarbage();
                }
            });
        }
    }

    private ApplyResult? Refusal(PlanRecord plan, string? live, bool force)
    {
        if (plan.AppliedAt is not null)
        {
            return new ApplyResult.NotFound($"plan {plan.Id} was applied already at {plan.AppliedAt:u}");
        }

        if (plan.RemovedAt is not null)
        {
            return new ApplyResult.Expired($"plan {plan.Id} expired at {plan.Expires:u} and its candidate was removed; plan again");
        }

        if (plan.ExpiredAt(store.Time.GetUtcNow()))
        {
            store.Candidates.Remove(plan.SaltEnv, plan.Id);
            store.TryCollectGarbage();
            return new ApplyResult.Expired($"plan {plan.Id} expired at {plan.Expires:u}; plan again");
        }

        if (!IsLocal(plan.Id))
        {
            return new ApplyResult.NotFound($"the candidate of plan {plan.Id} is gone from the store; plan again");
        }

        if (store.Policies.RefusePointerSwitch(plan.SaltEnv, plan.Id, store.Options.StateTop) is { } unconfined)
        {
            return new ApplyResult.Refused(unconfined);
        }

        return live != plan.BaseRelease && !force
            ? new ApplyResult.Stale($"the live release moved since this plan; plan again (planned against {plan.BaseRelease ?? "no release"}, live now {live ?? "none"}; --force applies it anyway)", live, plan.BaseRelease)
            : null;
    }

    private bool IsLocal(string id) => Directory.Exists(store.Layout.ReleaseTree(id)) && File.Exists(store.Layout.Manifest(id));
}
