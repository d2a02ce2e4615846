using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Server.Cluster;

/// <summary>
/// This master following the cluster (docs/cluster.md): at start, before the server serves, every
/// saltenv whose pointer moved past what this master serves is caught up; then it LISTENs for
/// pointer changes and, on each notification or every <see cref="MasterRegistry.HeartbeatInterval"/>
/// (the polling that covers a lost notification or a dropped connection), follows them and says
/// it is alive. A saltenv it cannot follow keeps what it served, and the reason is recorded for
/// the deploy waiting on it, <c>/healthz</c> and <c>spiro cluster status</c>.
/// </summary>
internal sealed class ClusterFollowService(ReleaseStore store, ClusterReleases releases, MasterRegistry registry, ILogger<ClusterFollowService> logger) : IHostedService, IDisposable
{
    /// <summary>
    /// The most saltenvs followed at once (fewer when <c>cluster.objects.parallelism</c> is lower;
    /// 1 follows one at a time): each has its own lock, and making a release is mostly waiting
    /// (PostgreSQL, the bucket, fsync), so a master that missed many changes catches up with
    /// several saltenvs side by side.
    /// </summary>
    internal const int MaxSaltEnvsAtOnce = 4;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    // The first catch-up ran when the server was built (SpiroServer.Build), before it serves.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        try
        {
            registry.Stopped(releases.Master);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning("Could not record in the cluster that {Master} stopped: {Message}", releases.Master, e.Message);
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Follows every saltenv this master is behind on or serves otherwise than the pointer; returns how many it could not.</summary>
    internal async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(releases.FetchParallelism, 1, MaxSaltEnvsAtOnce), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ClusterLag.Behind(releases, store), parallel, async (lag, token) =>
        {
            if (!await FollowOneAsync(lag, token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref failed);
            }
        }).ConfigureAwait(false);
        return failed;
    }

    /// <summary>Follows one saltenv's pointer; false (the reason recorded in the cluster) when it could not.</summary>
    private async Task<bool> FollowOneAsync(SaltEnvLag lag, CancellationToken cancellationToken)
    {
        var (saltEnv, target, _) = lag;
        try
        {
            switch (await store.FollowAsync(saltEnv, releases, cancellationToken).ConfigureAwait(false))
            {
                case FollowResult.Applied applied:
                    logger.LogInformation(
                        "Following the cluster: {SaltEnv} now serves {Release} (was {Previous}; {Fetched} objects fetched)",
                        saltEnv, applied.Target.ReleaseId ?? "nothing", applied.Previous ?? "nothing", applied.Fetched);
                    break;
                case FollowResult.Busy busy:
                    logger.LogInformation("Following the cluster: {SaltEnv} is busy here ({Message}); trying again", saltEnv, busy.Message);
                    break;
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever broke one saltenv (the bucket, a bad manifest, the disk), the others go on and the reason is recorded.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Following the cluster: {SaltEnv} stays at what it served; release {Release} failed", saltEnv, target.ReleaseId);
            try
            {
                releases.Failed(saltEnv.ToString(), target.Version, $"release {target.ReleaseId ?? "(delete)"}: {e.Message}");
            }
            catch (Exception recording) when (recording is NpgsqlException or ClusterUnavailableException)
            {
                logger.LogWarning("Could not record the failure in the cluster: {Message}", recording.Message);
            }

            return false;
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var listener = await releases.ListenAsync(stopping).ConfigureAwait(false);
                while (!stopping.IsCancellationRequested)
                {
                    registry.Heartbeat(releases.Master);
                    await CatchUpAsync(stopping).ConfigureAwait(false);
                    await listener.WaitAsync(MasterRegistry.HeartbeatInterval, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or ClusterUnavailableException or IOException or TimeoutException or InvalidOperationException)
            {
                // PostgreSQL went away: this master keeps serving what it has and tries again.
                logger.LogWarning("Following the cluster paused: {Message}; retrying in {Seconds} s", e.Message, MasterRegistry.HeartbeatInterval.TotalSeconds);
                try
                {
                    await Task.Delay(MasterRegistry.HeartbeatInterval, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
