using Microsoft.Extensions.Logging;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Plans;
using Spiro.Protocol.Events;
using Spiro.Protocol.Plans;
using Spiro.Server.Options;

namespace Spiro.Server.Deploys;

/// <summary>
/// The second half of a plan, after its candidate is stored: the <c>plan</c> event (the diff
/// against live), then, when asked, the minions both top files select and the <c>test=True</c>
/// highstate in the plan saltenv (docs/api.md "Plans"). Never touches the live release.
/// </summary>
internal sealed class PlanReporter(ReleaseStore store, DeployRecorder recorder, HighstateRunner highstate, ServerOptions options, ILogger<PlanReporter> logger)
{
    public async Task ReportAsync(DeployRecord deploy, SaltEnvName saltEnv, ReleaseInfo candidate, CancellationToken stopping)
    {
        HighstateRequest request;
        try
        {
            var plan = store.FindPlan(candidate.Id) ?? throw new InvalidOperationException($"plan {candidate.Id} was not recorded");
            var view = PlanViews.Create(store, plan, options.Dashboard.Diff);
            recorder.Emit(deploy.Id, PlanEventNames.Plan, DeployEventJson.ToObject(view));
            logger.LogInformation("Planned {SaltEnv} candidate {Release} against {Live} (deploy {Deploy})", saltEnv, candidate.Id, plan.BaseRelease ?? "no release", deploy.Id);
            request = new HighstateRequest(saltEnv, candidate.Id, deploy.Test, deploy.TolerateMissing, store.TopTargets(saltEnv, candidate.Id))
            {
                PlanSaltEnv = PlanSaltEnv.For(candidate.Id),
            };
        }
#pragma warning disable CA1031 // The plan must end with an event whatever went wrong; the candidate stays a candidate.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Reporting plan {Release} of {SaltEnv} failed", candidate.Id, saltEnv);
            recorder.Emit(deploy.Id, DeployEventNames.Exception, $"Reporting the plan failed: {e.Message}");
            recorder.Finish(deploy.Id, DeployStatus.Failed, candidate.Id, "Plan failed");
            return;
        }

        if (!deploy.Highstate)
        {
            recorder.Finish(deploy.Id, DeployStatus.Succeeded, candidate.Id, $"Plan {candidate.Id} of {saltEnv} stored; apply it with spiro-deploy --apply {candidate.Id}");
            return;
        }

        await highstate.RunAsync(deploy.Id, request, stopping).ConfigureAwait(false);
    }
}
