using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Retention;

namespace Spiro.Core.Releases.Plans;

/// <summary>
/// Removes plans' candidates: the plan directory first (from then on Salt no longer serves the
/// plan saltenv), then the release like any other removal. The caller holds the saltenv's lock.
/// </summary>
internal sealed class CandidateRemover(StoreLayout layout, PlanRepository plans, ReleaseRemover remover, TimeProvider time)
{
    /// <summary>Removes the candidates of <paramref name="saltEnv"/> whose plans expired; returns their ids.</summary>
    public IReadOnlyList<string> RemoveExpired(SaltEnvName saltEnv)
    {
        var now = time.GetUtcNow();
        var expired = plans.Pending().Where(p => p.SaltEnv == saltEnv && p.ExpiredAt(now)).Select(p => p.Id).ToList();
        foreach (var id in expired)
        {
            if (layout.LiveRelease(saltEnv) == id)
            {
                // Applied, but a crash came before the plan was marked (start-up recorded the release).
                plans.MarkApplied(id, now);
                continue;
            }

            Remove(saltEnv, id);
        }

        return expired;
    }

    /// <summary>Whether <paramref name="id"/> is the candidate of a pending plan of <paramref name="saltEnv"/> that has not expired.</summary>
    public bool IsKept(SaltEnvName saltEnv, string id) =>
        plans.Find(id) is { Pending: true } plan && plan.SaltEnv == saltEnv && !plan.ExpiredAt(time.GetUtcNow());

    public void Remove(SaltEnvName saltEnv, string id)
    {
        RemovePlanDirectory(id);
        remover.Remove(saltEnv, id);
        plans.MarkRemoved(id, time.GetUtcNow());
    }

    /// <summary>Takes the plan saltenv away (an applied plan's release is served as its saltenv instead).</summary>
    public void RemovePlanDirectory(string id)
    {
        var directory = layout.PlanDirectory(id);
        if (Directory.Exists(directory))
        {
            DurableFs.RemoveTree(directory);
            DurableFs.FsyncDirectory(layout.Plans);
        }
    }

    /// <summary>Plan directories whose plan is not pending any more (a crash between steps); removed at start-up.</summary>
    public void RemoveStrayPlanDirectories()
    {
        if (!Directory.Exists(layout.Plans))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(layout.Plans).ToList())
        {
            var id = Path.GetFileName(directory);
            if (!ReleaseId.IsValid(id) || plans.Find(id) is not { Pending: true })
            {
                DurableFs.RemoveTree(directory);
            }
        }
    }
}
