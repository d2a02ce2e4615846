using Microsoft.Extensions.Logging;
using Spiro.Core.Tokens;
using Spiro.Server.Metrics;

namespace Spiro.Server.Auth;

/// <summary>
/// Refusals before authentication: counted in <c>/metrics</c> by reason, and logged at most once per
/// <see cref="Interval"/> with how many were suppressed since, never written to the audit log.
/// </summary>
internal sealed class UnauthenticatedLog(ServerMetrics metrics, TimeProvider time, ILogger<UnauthenticatedLog> logger) : IUnauthenticatedSink
{
    /// <summary>Least time between two log lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private long _suppressed;

    public void Refused(string action, string reason, string? actor)
    {
        // Reasons about a known token name it; the metric keeps a fixed set of labels.
        metrics.Unauthenticated(actor is null ? reason : "inactive token");
        long suppressed;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _lastLogged < Interval)
            {
                _suppressed++;
                return;
            }

            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }

        // The action is one of ours; the reason is a fixed text; the actor is a token id and label.
        logger.LogWarning("Refused unauthenticated {Action} request: {Reason} (token {Actor}); {Suppressed} more since the last such line", action, reason, actor ?? "none", suppressed);
    }
}
