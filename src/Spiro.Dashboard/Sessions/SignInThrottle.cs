using System.Net;
using System.Threading.RateLimiting;

namespace Spiro.Dashboard.Sessions;

/// <summary>
/// Limits failed sign-ins per client address (a fixed one-minute window): guessing tokens from one
/// address is slowed to a few tries a minute. Only failures spend permits, so a user who signs in
/// correctly is never throttled.
/// </summary>
internal sealed class SignInThrottle(DashboardOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInFailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Whether <paramref name="address"/> has failures left in this window.</summary>
    public bool MayTry(IPAddress address)
    {
        using var probe = _failures.AttemptAcquire(address, 0);
        return probe.IsAcquired;
    }

    /// <summary>Counts one failed sign-in of <paramref name="address"/>.</summary>
    public void Failed(IPAddress address)
    {
        using var lease = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures.Dispose();
}
