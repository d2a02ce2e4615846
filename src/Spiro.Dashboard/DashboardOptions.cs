using Spiro.Core.Releases.Diff;

namespace Spiro.Dashboard;

/// <summary>Settings of the web dashboard under <c>/ui/</c> (docs/dashboard.md).</summary>
public sealed record DashboardOptions
{
    /// <summary><c>dashboard</c>: whether <c>spiro serve</c> serves the dashboard. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>dashboard_session</c>: how long a sign-in lasts. Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins allowed per client address per minute before further attempts get 429. Default 5.</summary>
    public int SignInFailuresPerMinute { get; init; } = 5;

    /// <summary>Sessions kept at once; the oldest go first. Default 10,000.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>Bounds of the release diff.</summary>
    public DiffLimits Diff { get; init; } = new();

    /// <summary>Largest generated top.sls shown on a release page, in bytes. Default 64 KiB.</summary>
    public int MaxTopFileBytes { get; init; } = 64 * 1024;

    /// <summary>Every problem with these settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Enabled && SessionLifetime <= TimeSpan.Zero)
        {
            errors.Add($"dashboard_session: must be positive (got {SessionLifetime})");
        }

        if (SignInFailuresPerMinute <= 0)
        {
            errors.Add($"dashboard sign-in failures per minute: must be positive (got {SignInFailuresPerMinute})");
        }

        return errors;
    }
}
