using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiro.Core.Releases;
using Spiro.Server.Options;

namespace Spiro.Server.Deploys;

/// <summary>
/// Removes the candidates of expired plans while the server runs. Start-up and a later apply or
/// publish in the same saltenv collect them too, but a saltenv nobody deploys to again would keep
/// an expired candidate's files until the next restart.
/// </summary>
internal sealed partial class ExpiredPlanSweeper(ReleaseStore store, ServerOptions options, TimeProvider time, ILogger<ExpiredPlanSweeper> logger) : BackgroundService
{
    /// <summary>How often to look: a quarter of a plan's lifetime, at least a second, at most an hour.</summary>
    internal static TimeSpan Interval(TimeSpan planLifetime) =>
        TimeSpan.FromTicks(Math.Clamp(planLifetime.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerHour));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval(options.PlanLifetime), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private void Sweep()
    {
        try
        {
            if (store.CollectExpiredPlans() is > 0 and var removed)
            {
                LogRemoved(removed);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            // The next tick tries again; a deploy must never fail for this.
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the candidates of {Count} expired plans")]
    private partial void LogRemoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired plans' candidates failed; retrying at the next tick")]
    private partial void LogFailed(Exception exception);
}
