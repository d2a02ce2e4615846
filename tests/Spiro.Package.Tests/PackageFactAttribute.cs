namespace Spiro.Package.Tests;

/// <summary>
/// A fact that installs the .deb on this machine. Runs as root when <c>CI=true</c> or
/// <c>SPIRO_PACKAGE_TESTS=1</c> (./build.sh test then builds the package first); elsewhere it is
/// skipped with the reason. In CI it never skips: without root the install fails and says so.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute()
    {
        if (SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the package tests are skipped here, or null when they run.</summary>
    public static string? SkipReason { get; } =
        InCi ? null
        : !Environment.IsPrivilegedProcess ? "package tests skipped: they need root (dpkg -i)"
        : Environment.GetEnvironmentVariable("SPIRO_PACKAGE_TESTS") != "1" ? "package tests skipped: set SPIRO_PACKAGE_TESTS=1 to build the .deb and dpkg -i it on this machine"
        : null;
}
