namespace Spiro.Testing.Services;

/// <summary>
/// A fact that needs a real PostgreSQL and a real radosgw: skipped, with the reason, when the
/// distribution's packages are missing; never skipped when <c>CI=true</c> (the fixture then fails and
/// says what is missing), as the real-Salt tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when a service is missing outside CI.</summary>
    public ClusterFactAttribute()
    {
        if (SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Why cluster tests are skipped here, or null when they run.</summary>
    public static string? SkipReason { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? null
        : PostgresServer.FindBinaries() is null ? "PostgreSQL tests skipped: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)"
        : !CephGateway.IsInstalled ? "radosgw tests skipped: Ceph is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)"
        : null;
}
