using Spiro.Core.Names;
using Spiro.Core.Releases.History;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Releases.Admin;

/// <summary>Rollback and delete: pointer changes under the saltenv lock, never touching release content.</summary>
internal sealed class PointerOperations(StoreServices store, ReleaseMaterialiser materialiser)
{
    public async Task<RollbackResult> RollbackAsync(SaltEnvName saltEnv, string? toId, PublishContext context, CancellationToken cancellationToken)
    {
        var (held, lockMessage) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new RollbackResult.Locked(lockMessage!);
        }

        using (held)
        {
            var live = store.Live(saltEnv);
            // In a cluster every recorded release is kept somewhere: one this master lacks is made
            // from the cluster's manifest and content before the pointer moves to it.
            var kept = store.Repository.Active(saltEnv)
                .Where(r => store.Sharing is not null || IsLocal(r.Id))
                .ToList();
            if (live is null && kept.Count == 0)
            {
                return new RollbackResult.NotFound($"unknown saltenv {saltEnv}: it has no live release and no history");
            }

            var liveSeq = kept.FirstOrDefault(r => r.Id == live)?.Seq ?? long.MaxValue;
            var target = toId is null
                ? kept.Where(r => r.Seq < liveSeq).MaxBy(r => r.Seq)
                : kept.FirstOrDefault(r => r.Id == toId);
            if (target is null)
            {
                return new RollbackResult.NotFound(toId is null
                    ? $"{saltEnv} has no release older than the live {live}"
                    : $"release {toId} is not a kept release of {saltEnv} (kept: {string.Join(", ", kept.Select(r => r.Id))})");
            }

            if (target.Id != live && !IsLocal(target.Id) && store.Sharing is { } cluster)
            {
                context.Progress?.Report($"release {target.Id} is not in this master's data directory: fetching it from the cluster");
                await new Sharing.SharedReleaseMaker(store).MaterialiseAsync(saltEnv, target.Id, cluster.Source, cancellationToken).ConfigureAwait(false);
            }

            if (target.Id != live && store.Policies.RefusePointerSwitch(saltEnv, target.Id, store.Options.StateTop) is { } refusal)
            {
                store.Audit.Append(context.Actor, "rollback", saltEnv.ToString(), "refused", $"to {target.Id}: {TopFiles.TargetConfinement.StaleRule}");
                return new RollbackResult.Refused(refusal);
            }

            var warnings = new List<string>();
            if (target.Id != live && store.Sharing is { } sharing)
            {
                // A cluster records the move (history and pointer together) before this master
                // serves it; the other masters follow the pointer (docs/cluster.md).
                var moved = live is null ? "no release was live" : $"from {live}";
                var manifest = File.ReadAllText(store.Layout.Manifest(target.Id));
                var targetId = target.Id;
                if (Sharing.SharedCommit.Run(
                    sharing,
                    saltEnv,
                    () => store.Repository.AddHistory(new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), targetId, "rollback", context.Actor, moved), transaction =>
                        sharing.MovePointer(transaction, saltEnv, targetId, manifest)),
                    pointer => pointer?.ReleaseId == targetId,
                    $"the rollback of {saltEnv} to {targetId}") is { } shareWarning)
                {
                    warnings.Add(shareWarning);
                }

                materialiser.Flip(saltEnv, target.Id);
                ReleaseMaterialiser.AfterFlip(warnings, "recording that this master serves it", () => sharing.Applied(saltEnv, target.Id), "the cluster's status shows this master behind until it next follows");
                ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
                    store.Audit.Append(context.Actor, "rollback", saltEnv.ToString(), "ok", $"to {target.Id}; {moved}"), "the rollback itself stands; the row is not written later");
            }
            else if (target.Id != live)
            {
                materialiser.Flip(saltEnv, target.Id);

                // The pointer has moved: Salt serves the target from here on. A failure of the
                // bookkeeping below must not report a failed rollback (an operator would retry or
                // escalate over a rollback that happened), so it becomes a warning. Recovery does
                // not rebuild these rows (the releases themselves are all recorded already).
                const string NotRepaired = "the rollback itself stands; the row is not written later";
                var detail = live is null ? "no release was live" : $"from {live}";
                ReleaseMaterialiser.AfterFlip(warnings, "recording the rollback in history", () =>
                    store.Repository.AddHistory(new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), target.Id, "rollback", context.Actor, detail)), NotRepaired);
                ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
                    store.Audit.Append(context.Actor, "rollback", saltEnv.ToString(), "ok", $"to {target.Id}; {detail}"), NotRepaired);
            }

            return new RollbackResult.RolledBack(target.ToInfo(live: true), live) { Warnings = warnings };
        }
    }

    public async Task<DeleteResult> DeleteAsync(SaltEnvName saltEnv, PublishContext context, CancellationToken cancellationToken)
    {
        var (held, lockMessage) = await store.Locks.TakeAsync(saltEnv, context.Actor, context.Progress, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new DeleteResult.Locked(lockMessage!);
        }

        using (held)
        {
            var live = store.Live(saltEnv);
            var releases = store.Repository.Active(saltEnv);
            if (live is null && releases.Count == 0)
            {
                return new DeleteResult.NotFound($"unknown saltenv {saltEnv}: it has no live release and no history");
            }

            // A cluster records the delete (history and pointer together) first; the other masters follow.
            var recorded = false;
            var warnings = new List<string>();
            if (store.Sharing is { } sharing)
            {
                if (Sharing.SharedCommit.Run(
                    sharing,
                    saltEnv,
                    () => store.Repository.AddHistory(new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), null, "delete", context.Actor, live is null ? "no live release" : $"was {live}"), transaction =>
                        sharing.MovePointer(transaction, saltEnv, null, null)),
                    pointer => pointer is { ReleaseId: null },
                    $"the delete of {saltEnv}") is { } shareWarning)
                {
                    warnings.Add(shareWarning);
                }

                recorded = true;
            }

            // The pointer goes first: from this instant Salt no longer sees the saltenv.
            var link = store.Layout.EnvLink(saltEnv);
            if (DurableFs.ReadLink(link) is not null)
            {
                File.Delete(link);
                DurableFs.FsyncDirectory(Path.GetDirectoryName(link)!);
            }

            // Salt no longer sees the saltenv, so the delete has happened: a failure below is a
            // warning, not a failed delete. Start-up recovery only finishes a removal interrupted
            // after its tree moved; a release whose removal failed before that stays recorded and
            // complete, and no start-up or gc step collects it, so the remedy is another delete.
            const string Gone = "the saltenv is deleted (Salt no longer serves it)";
            const string NotRepaired = "the row is not written later";
            if (recorded)
            {
                ReleaseMaterialiser.AfterFlip(warnings, "recording that this master serves nothing", () => store.Sharing!.Applied(saltEnv, null), NotRepaired, Gone);
            }
            else
            {
                ReleaseMaterialiser.AfterFlip(warnings, "recording the delete in history", () =>
                    store.Repository.AddHistory(new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), null, "delete", context.Actor, live is null ? "no live release" : $"was {live}")), NotRepaired, Gone);
            }
            var removed = new List<string>();
            foreach (var release in releases)
            {
                if (ReleaseMaterialiser.AfterFlip(warnings, $"removing release {release.Id}", () => store.Remover.Remove(saltEnv, release.Id),
                    $"run the delete again to remove it (start-up recovery finishes only a removal interrupted part-way; nothing else collects it)", Gone))
                {
                    removed.Add(release.Id);
                }
            }

            ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
                store.Audit.Append(context.Actor, "delete", saltEnv.ToString(), "ok", $"removed {removed.Count} releases; was {live ?? "not live"}"), NotRepaired, Gone);
            store.TryCollectGarbage();
            return new DeleteResult.Deleted(saltEnv, live, removed) { Warnings = warnings };
        }
    }

    private bool IsLocal(string id) => Directory.Exists(store.Layout.ReleaseTree(id)) && File.Exists(store.Layout.Manifest(id));
}
