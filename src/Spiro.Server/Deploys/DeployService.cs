using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Deltas;
using Spiro.Core.Tokens;
using Spiro.Protocol.Events;
using Spiro.Server.Metrics;
using Spiro.Server.Options;

namespace Spiro.Server.Deploys;

/// <summary>
/// Runs deploys: the store's publish (which serialises per saltenv) with a slot (cap on concurrent
/// publishes) taken once the bundle is read, then the highstate in the background, recording every
/// step as an event. The endpoints hold the project's place (<see cref="ProjectDeployGate"/>).
/// Endpoints call it after authorising the token.
/// </summary>
internal sealed class DeployService(
    ReleaseStore store,
    DeployRecorder recorder,
    HighstateRunner highstate,
    PlanReporter plans,
    IHighstateService salt,
    ServerMetrics metrics,
    ServerOptions options,
    ClientText clientText,
    ILogger<DeployService> logger,
    Cluster.ClusterConvergence? convergence = null,
    Spiro.Cluster.Sharing.ClusterReleases? cluster = null) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentDeploys, options.MaxConcurrentDeploys);
    private readonly ConcurrentDictionary<string, Task> _background = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>True once shutdown began: new deploys are refused with 503 (in-flight ones go on).</summary>
    public bool Stopping { get; private set; }

    public DeployRecord Begin(TokenRecord token, SaltEnvName saltEnv, bool runHighstate, bool test, bool tolerateMissing = false)
    {
        var deploy = recorder.Create(TokenSecret.NewId(), saltEnv.ToString(), token.Actor, runHighstate, test, tolerateMissing);
        cluster?.ClaimDeploy(deploy.Id);
        recorder.Emit(deploy.Id, ApiEventNames.DeployStart, DeployEventJson.ToObject(new DeployStartEvent($"Deploy {deploy.Id} of {saltEnv} started", deploy.Id, saltEnv.ToString())));
        logger.LogInformation("Deploy {Deploy} of {SaltEnv} by {Actor} started", deploy.Id, saltEnv, token.Actor);
        return deploy;
    }

    /// <summary>Streams <paramref name="body"/> into the store; on success starts the highstate (if asked) in the background.</summary>
    /// <param name="plan">For a negotiated upload: the bundle's plan, and <paramref name="body"/> holds only its missing files.</param>
    /// <param name="candidate">Store the release as a plan's candidate, not live (<see cref="Plans"/> reports it and runs its test).</param>
    public async Task<DeployPublishOutcome> PublishAsync(DeployRecord deploy, SaltEnvName saltEnv, Stream body, CountingStream counter, CancellationToken cancellationToken, IReadOnlyList<PlannedEntry>? plan = null, bool candidate = false)
    {
        var outcome = await PublishCoreAsync(deploy, saltEnv, body, counter, plan, candidate, cancellationToken).ConfigureAwait(false);
        if (outcome is DeployPublishOutcome.Published { Release.Live: false } candidatePublished)
        {
            StartBackground(deploy.Id, stopping => plans.ReportAsync(deploy, saltEnv, candidatePublished.Release, stopping));
        }
        else if (outcome is DeployPublishOutcome.Published published)
        {
            Published(deploy, saltEnv, published.Release);
        }
        else if (outcome.Refusal is { } refusal)
        {
            End(deploy, refusal.DeployStatus, refusal.Message);
        }

        return outcome;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets running highstates finish within the shutdown timeout, then cancels them (they end with an event).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping = true;
        var running = _background.Values.ToArray();
        if (running.Length > 0)
        {
            logger.LogInformation("Waiting for {Count} running deploys to finish", running.Length);
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(options.ShutdownTimeout, cancellationToken)).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_background.Values.ToArray()).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _slots.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// Applies plan <paramref name="planId"/> (its candidate goes live, no upload), then highstates as
    /// a deploy does. A refusal is returned before any deploy is recorded.
    /// </summary>
    public async Task<(DeployRecord? Deploy, Core.Releases.Plans.ApplyResult Result)> ApplyAsync(TokenRecord token, SaltEnvName saltEnv, string planId, bool force, bool runHighstate, bool test, bool tolerateMissing, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await store.ApplyPlanAsync(saltEnv, planId, force, new PublishContext(token.Actor), cancellationToken).ConfigureAwait(false);
            if (result is not Core.Releases.Plans.ApplyResult.Applied applied)
            {
                return (null, result);
            }

            var deploy = Begin(token, saltEnv, runHighstate, test, tolerateMissing);
            recorder.Emit(deploy.Id, ApiEventNames.DeployProgress, $"Applied plan {planId}: {saltEnv} now serves it (was {applied.Previous ?? "no release"})");
            foreach (var warning in applied.Warnings)
            {
                recorder.Emit(deploy.Id, ApiEventNames.DeployProgress, "warning: " + warning);
            }

            Published(deploy, saltEnv, applied.Release);
            return (deploy, result);
        }
        finally
        {
            _slots.Release();
        }
    }

    // Streams the bundle into the store and says how it went; whatever breaks ends as an outcome, never an exception.
    private async Task<DeployPublishOutcome> PublishCoreAsync(DeployRecord deploy, SaltEnvName saltEnv, Stream body, CountingStream counter, IReadOnlyList<PlannedEntry>? plan, bool candidate, CancellationToken cancellationToken)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var result = await StorePublishAsync(deploy, saltEnv, body, plan, candidate, cancellationToken).ConfigureAwait(false);
            if (counter.LimitExceeded)
            {
                return new DeployPublishOutcome.TooLarge(counter.Limit);
            }

            if (result is PublishResult.Published live)
            {
                metrics.PublishDuration(clock.Elapsed);
                ReportWarnings(deploy, saltEnv, live.Warnings);
            }

            return OutcomeOf(result);
        }
        catch (Core.Releases.Sharing.SharedCommitUnknownException e)
        {
            // Not "nothing was published": the cluster may have recorded it (docs/cluster.md).
            logger.LogError(e, "Publishing {SaltEnv} for deploy {Deploy}: outcome unknown", saltEnv, deploy.Id);
            return new DeployPublishOutcome.Failed($"Publishing failed on the server: {clientText.Of(e)} (deploy {deploy.Id} in the server log)");
        }
#pragma warning disable CA1031 // Whatever broke, the deploy must end with an event so followers stop waiting.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return OutcomeOf(exception, deploy, saltEnv, counter);
        }
    }

    private Task<PublishResult> StorePublishAsync(DeployRecord deploy, SaltEnvName saltEnv, Stream body, IReadOnlyList<PlannedEntry>? plan, bool candidate, CancellationToken cancellationToken)
    {
        var progress = new RecordingProgress(message => recorder.Emit(deploy.Id, ApiEventNames.DeployProgress, message));
        var context = new PublishContext(deploy.Actor, progress) { RenderGate = salt.RenderGate, Candidate = candidate, BeforeMaterialise = token => TakeSlotAsync(deploy, token) };
        return plan is null
            ? store.PublishAsync(saltEnv, body, context, cancellationToken)
            : store.PublishPlannedAsync(saltEnv, plan, body, context, cancellationToken);
    }

    // The release is live; bookkeeping after the flip failed. Recovery repairs it, the operator should know.
    private void ReportWarnings(DeployRecord deploy, SaltEnvName saltEnv, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            logger.LogWarning("Published {SaltEnv} with a warning: {Warning}", saltEnv, warning);
            recorder.Emit(deploy.Id, ApiEventNames.DeployProgress, "warning: " + clientText.OfServer(warning));
        }
    }

    private DeployPublishOutcome OutcomeOf(PublishResult result) => result switch
    {
        PublishResult.Published p => new DeployPublishOutcome.Published(p.Release),
        PublishResult.Rejected r => new DeployPublishOutcome.Rejected(r.Rule, clientText.Hide(r.Message)),
        PublishResult.Locked l => new DeployPublishOutcome.Locked(clientText.Hide(l.Message)),
        _ => new DeployPublishOutcome.Failed("unknown publish result"),
    };

    // In this order: an over-long body explains any failure it caused, before cancellation or I/O does.
    private DeployPublishOutcome OutcomeOf(Exception exception, DeployRecord deploy, SaltEnvName saltEnv, CountingStream counter)
    {
        switch (exception)
        {
            case BodyTooLargeException tooLarge:
                return new DeployPublishOutcome.TooLarge(tooLarge.Limit);
            case var _ when counter.LimitExceeded:
                return new DeployPublishOutcome.TooLarge(counter.Limit);
            case OperationCanceledException:
                return new DeployPublishOutcome.Failed("The upload was cancelled (client went away or the server is stopping); nothing was published");
            case BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout }:
                return new DeployPublishOutcome.TooSlow($"The upload was slower than min_request_body_rate ({options.MinRequestBodyRate} bytes/s); nothing was published");
            case TruncatedBodyException truncated:
                return new DeployPublishOutcome.Rejected("truncated-body", truncated.Message);
            case IOException when counter.ReadFailed:
                // The client dropped or stalled below the minimum data rate; the store left the live release alone.
                logger.LogWarning(exception, "Receiving the upload of deploy {Deploy} failed", deploy.Id);
                return new DeployPublishOutcome.Failed($"The upload failed: {clientText.Of(exception)}; nothing was published");
            default:
                logger.LogError(exception, "Publishing {SaltEnv} for deploy {Deploy} failed", saltEnv, deploy.Id);
                return new DeployPublishOutcome.Failed($"Publishing failed on the server: {clientText.Of(exception)}; nothing was published (deploy {deploy.Id} in the server log)");
        }
    }

    // The publish slot is taken once the bundle is read: a client trickling its upload holds none.
    private async Task<IDisposable> TakeSlotAsync(DeployRecord deploy, CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            recorder.Emit(deploy.Id, ApiEventNames.DeployProgress, $"Waiting for a free deploy slot ({options.MaxConcurrentDeploys} deploys publishing)");
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Slot(_slots);
    }

    private void Published(DeployRecord deploy, SaltEnvName saltEnv, ReleaseInfo release)
    {
        recorder.SetRelease(deploy.Id, release.Id);
        recorder.Emit(deploy.Id, DeployEventNames.DeployBundle, DeployEventJson.ToObject(new DeployBundleEvent($"Published release {release.Id} to {saltEnv}", release.Id, saltEnv.ToString())));
        logger.LogInformation("Published {SaltEnv} release {Release} (deploy {Deploy})", saltEnv, release.Id, deploy.Id);
        if (convergence is not null)
        {
            // A cluster: the deploy is done (and the highstate may run) once every live master serves it.
            StartBackground(deploy.Id, async stopping =>
            {
                if (await convergence.WaitAsync(deploy.Id, saltEnv, release.Id, stopping).ConfigureAwait(false) is { } laggards)
                {
                    logger.LogWarning("Deploy {Deploy} of {SaltEnv}: {Message}", deploy.Id, saltEnv, laggards);
                    recorder.Emit(deploy.Id, DeployEventNames.Exception, laggards);
                    recorder.Finish(deploy.Id, DeployStatus.Failed, release.Id, laggards);
                    return;
                }

                await AfterLiveAsync(deploy, saltEnv, release, stopping).ConfigureAwait(false);
            });
            return;
        }

        _ = AfterLiveAsync(deploy, saltEnv, release, null);
    }

    // The release is live (on every live master of a cluster): finish, or run the highstate (in the background unless already there).
    private Task AfterLiveAsync(DeployRecord deploy, SaltEnvName saltEnv, ReleaseInfo release, CancellationToken? background)
    {
        if (!deploy.Highstate)
        {
            recorder.Finish(deploy.Id, DeployStatus.Succeeded, release.Id, $"Deploy of {saltEnv} finished (no highstate requested)");
            return Task.CompletedTask;
        }

        var request = new HighstateRequest(saltEnv, release.Id, deploy.Test, deploy.TolerateMissing, store.TopTargets(saltEnv, release.Id));
        if (background is { } stopping)
        {
            return highstate.RunAsync(deploy.Id, request, stopping);
        }

        StartBackground(deploy.Id, stopping => highstate.RunAsync(deploy.Id, request, stopping));
        return Task.CompletedTask;
    }

    private void StartBackground(string deployId, Func<CancellationToken, Task> work)
    {
        var task = Task.Run(() => work(_stopping.Token), CancellationToken.None);
        _background[deployId] = task;
        _ = task.ContinueWith(_ => _background.TryRemove(deployId, out var _), TaskScheduler.Default);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    private void End(DeployRecord deploy, string status, string message)
    {
        logger.LogWarning("Deploy {Deploy} of {SaltEnv} ended {Status}: {Message}", deploy.Id, deploy.SaltEnv, status, message);
        recorder.Emit(deploy.Id, DeployEventNames.Exception, message);
        recorder.Finish(deploy.Id, status, null, message);
    }
}
