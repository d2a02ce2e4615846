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

            var target = Target(kept, live, toId);
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
                MoveSharedPointer(sharing, saltEnv, target.Id, live, context, warnings);
            }
            else if (target.Id != live)
            {
                MoveLocalPointer(saltEnv, target.Id, live, context, warnings);
            }

            return new RollbackResult.RolledBack(target.ToInfo(live: true), live) { Warnings = warnings };
        }
    }

    /// <summary>The release a rollback goes to: the named kept one, or the newest kept one older than the live.</summary>
    private static ReleaseRecord? Target(IReadOnlyList<ReleaseRecord> kept, string? live, string? toId)
    {
        var liveSeq = kept.FirstOrDefault(r => r.Id == live)?.Seq ?? long.MaxValue;
        return toId is null
            ? kept.Where(r => r.Seq < liveSeq).MaxBy(r => r.Seq)
            : kept.FirstOrDefault(r => r.Id == toId);
    }

    /// <summary>
    /// A cluster records the move (history and pointer together) before this master serves it;
    /// the other masters follow the pointer (docs/cluster.md).
    /// </summary>
    private void MoveSharedPointer(Sharing.IReleaseSharing sharing, SaltEnvName saltEnv, string targetId, string? live, PublishContext context, List<string> warnings)
    {
        var moved = live is null ? "no release was live" : $"from {live}";
        var manifest = File.ReadAllText(store.Layout.Manifest(targetId));
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

        materialiser.Flip(saltEnv, targetId);
        ReleaseMaterialiser.AfterFlip(warnings, "recording that this master serves it", () => sharing.Applied(saltEnv, targetId), "the cluster's status shows this master behind until it next follows");
        ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
            store.Audit.Append(context.Actor, "rollback", saltEnv.ToString(), "ok", $"to {targetId}; {moved}"), "the rollback itself stands; the row is not written later");
    }

    private void MoveLocalPointer(SaltEnvName saltEnv, string targetId, string? live, PublishContext context, List<string> warnings)
    {
        materialiser.Flip(saltEnv, targetId);

        // The pointer has moved: Salt serves the target from here on. A failure of the
        // bookkeeping below must not report a failed rollback (an operator would retry or
        // escalate over a rollback that happened), so it becomes a warning. Recovery does
        // not rebuild these rows (the releases themselves are all recorded already).
        const string NotRepaired = "the rollback itself stands; the row is not written later";
        var detail = live is null ? "no release was live" : $"from {live}";
        ReleaseMaterialiser.AfterFlip(warnings, "recording the rollback in history", () =>
            store.Repository.AddHistory(new HistoryEntry(store.Time.GetUtcNow(), saltEnv.ToString(), targetId, "rollback", context.Actor, detail)), NotRepaired);
        ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
            store.Audit.Append(context.Actor, "rollback", saltEnv.ToString(), "ok", $"to {targetId}; {detail}"), NotRepaired);
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
            var warnings = new List<string>();
            var recorded = store.Sharing is not null;
            if (store.Sharing is { } sharing)
            {
                RecordSharedDelete(sharing, saltEnv, live, context, warnings);
            }

            // The pointer goes first: from this instant Salt no longer sees the saltenv.
            RemoveLink(saltEnv);

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

            var removed = RemoveReleases(saltEnv, releases, warnings, Gone);
            ReleaseMaterialiser.AfterFlip(warnings, "writing the audit row", () =>
                store.Audit.Append(context.Actor, "delete", saltEnv.ToString(), "ok", $"removed {removed.Count} releases; was {live ?? "not live"}"), NotRepaired, Gone);
            store.TryCollectGarbage();
            return new DeleteResult.Deleted(saltEnv, live, removed) { Warnings = warnings };
        }
    }

    /// <summary>The delete recorded in the cluster (history and a pointer to nothing); a commit it cannot confirm is a warning.</summary>
    private void RecordSharedDelete(Sharing.IReleaseSharing sharing, SaltEnvName saltEnv, string? live, PublishContext context, List<string> warnings)
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
    }

    private void RemoveLink(SaltEnvName saltEnv)
    {
        var link = store.Layout.EnvLink(saltEnv);
        if (DurableFs.ReadLink(link) is not null)
        {
            File.Delete(link);
            DurableFs.FsyncDirectory(Path.GetDirectoryName(link)!);
        }
    }

    /// <summary>Removes every release of a deleted saltenv; one that fails stays recorded and complete, and is a warning.</summary>
    private List<string> RemoveReleases(SaltEnvName saltEnv, IReadOnlyList<ReleaseRecord> releases, List<string> warnings, string gone)
    {
        var removed = new List<string>();
        foreach (var release in releases)
        {
            if (ReleaseMaterialiser.AfterFlip(warnings, $"removing release {release.Id}", () => store.Remover.Remove(saltEnv, release.Id),
                $"run the delete again to remove it (start-up recovery finishes only a removal interrupted part-way; nothing else collects it)", gone))
            {
                removed.Add(release.Id);
            }
        }

        return removed;
    }

    private bool IsLocal(string id) => Directory.Exists(store.Layout.ReleaseTree(id)) && File.Exists(store.Layout.Manifest(id));
}
