using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;
using Spiro.Server.Metrics;

namespace Spiro.Server.Deploys;

/// <summary>Runs the highstate after a publish, recording each event; independent of any HTTP request.</summary>
internal sealed class HighstateRunner(IHighstateService highstate, DeployRecorder recorder, ServerMetrics metrics, ClientText clientText, ILogger<HighstateRunner> logger)
{
    public async Task RunAsync(string deployId, HighstateRequest request, CancellationToken stopping)
    {
        try
        {
            await foreach (var item in highstate.RunAsync(request, stopping).ConfigureAwait(false))
            {
                recorder.Emit(deployId, item.Name, item.Data);
                CountMinions(item);
            }

            recorder.Finish(deployId, DeployStatus.Succeeded, request.ReleaseId, request.PlanSaltEnv is null
                ? $"Deploy of {request.SaltEnv} finished"
                : $"Plan {request.ReleaseId} of {request.SaltEnv} finished; apply it with spiro-deploy --apply {request.ReleaseId}");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            recorder.Emit(deployId, DeployEventNames.Exception, "The server stopped before the highstate finished; the release stays live");
            recorder.Finish(deployId, DeployStatus.Abandoned, request.ReleaseId, "Highstate abandoned at shutdown");
        }
#pragma warning disable CA1031 // A background deploy must end with an event whatever went wrong.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Highstate of {SaltEnv} for deploy {Deploy} failed", request.SaltEnv, deployId);
            recorder.Emit(deployId, DeployEventNames.Exception, $"Highstate failed: {clientText.Of(e)}");
            recorder.Finish(deployId, DeployStatus.Failed, request.ReleaseId, "Highstate failed");
        }
    }

    // Once per minion per run: the finish event holds every minion's summary exactly once.
    private void CountMinions(DeployEvent item)
    {
        if (item.Name == DeployEventNames.HighstateFinish && DeployEventJson.Read<HighstateFinishEvent>(item.Data) is { Minions: { } minions })
        {
            foreach (var report in minions.Values)
            {
                metrics.MinionResult(MinionOutcomeText.Parse(report.Outcome).ToText());
            }
        }
    }
}
