using Spiro.Core.Releases.Contents;
using Spiro.Core.Releases.Diff;
using Spiro.Protocol.Plans;
using Spiro.Protocol.Views;

namespace Spiro.Core.Releases.Plans;

/// <summary>The one view of a plan (<see cref="PlanView"/>): its state and its candidate's diff against the release live when it was made.</summary>
public static class PlanViews
{
    /// <summary>The view of <paramref name="plan"/>; the diff only while its candidate is kept.</summary>
    public static PlanView Create(ReleaseStore store, PlanRecord plan, DiffLimits limits)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(limits);
        var contents = new ReleaseContents(store);
        var status = plan.AppliedAt is not null ? "applied"
            : plan.RemovedAt is not null || plan.ExpiredAt(store.Time.GetUtcNow()) ? "expired"
            : "pending";
        var candidate = store.Candidate(plan);
        var diff = candidate is null ? null
            : ReleaseDiffs.Create(contents, plan.BaseRelease is { } live ? contents.FindAny(plan.SaltEnv, live) : null, candidate, limits);
        var against = plan.BaseRelease is null ? "no live release" : "live " + plan.BaseRelease;
        var message = diff is null
            ? $"Plan {plan.Id} of {plan.SaltEnv} is {status}"
            : $"Plan {plan.Id} of {plan.SaltEnv} against {against}: {diff.Added} added, {diff.Removed} removed, {diff.Changed} changed";
        return new PlanView(message, plan.Id, plan.SaltEnv.ToString(), plan.BaseRelease, WireTime.Format(plan.Created), WireTime.Format(plan.Expires), status, diff);
    }
}
