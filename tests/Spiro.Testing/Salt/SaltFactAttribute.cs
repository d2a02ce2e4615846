namespace Spiro.Testing.Salt;

/// <summary>
/// A fact that needs real Salt: skipped, with one reason, when this machine has none; never skipped
/// when <c>CI=true</c> (the lab then fails to start and says where it looked).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SaltFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when no Salt can be found outside CI.</summary>
    public SaltFactAttribute()
    {
        if (SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Why real-Salt tests are skipped here, or null when they run.</summary>
    public static string? SkipReason { get; } =
        SaltSource.Current is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "real-Salt tests skipped: " + SaltSource.Missing
            : null;
}
