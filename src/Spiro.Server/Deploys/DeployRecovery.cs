using Microsoft.Extensions.Logging;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Protocol.Events;

namespace Spiro.Server.Deploys;

/// <summary>
/// At start-up, ends the deploys a previous server was running when it stopped: each is
/// <c>abandoned</c>, with a <c>deploy-finish</c> event for clients that re-attach, and with the
/// release it made live when it got past the flip (<see cref="InterruptedDeploy"/>).
/// </summary>
internal static class DeployRecovery
{
    private const int ClaimedWindow = 1000;

    /// <param name="recorder">The deploy log.</param>
    /// <param name="store">The store, for the release a cut-off deploy made live.</param>
    /// <param name="logger">Where each ended deploy is logged.</param>
    /// <param name="mine">In a cluster, whether this master ran the deploy (another master's running deploy is not this restart's to end).</param>
    public static void Run(DeployRecorder recorder, ReleaseStore store, ILogger logger, Func<string, bool>? mine = null)
    {
        foreach (var deploy in recorder.Log.Running().Where(d => mine?.Invoke(d.Id) != false))
        {
            var release = deploy.Release ?? LiveReleaseOf(deploy, recorder.Log, store);
            if (release is not null && deploy.Release is null)
            {
                recorder.SetRelease(deploy.Id, release);
            }

            var message = release is null
                ? $"Deploy {deploy.Id} of {deploy.SaltEnv} was cut off when the server stopped; nothing of it went live"
                : $"Deploy {deploy.Id} of {deploy.SaltEnv} was cut off when the server stopped after release {release} went live; its highstate (if any) did not finish";
            recorder.Finish(deploy.Id, DeployStatus.Abandoned, release, message);
            logger.LogWarning("{Message}", message);
        }
    }

    private static string? LiveReleaseOf(DeployRecord deploy, DeployLog log, ReleaseStore store)
    {
        if (SaltEnvName.TryParse(deploy.SaltEnv, out _) is not { } saltEnv)
        {
            return null;
        }

        var claimed = log.Recent(deploy.SaltEnv, ClaimedWindow).Where(d => d.Id != deploy.Id && d.Release is not null).Select(d => d.Release!).ToHashSet(StringComparer.Ordinal);
        return InterruptedDeploy.ReleaseOf(deploy, store.Releases(saltEnv), claimed);
    }
}
