using System.Globalization;

namespace Spiro.Protocol.Views;

/// <summary>
/// The one time format of every view (CLI <c>--json</c>, the v1 API, plans and diffs): RFC 3339
/// UTC with a <c>Z</c>, whole seconds (<c>2026-11-25T14:01:02Z</c>).
/// </summary>
public static class WireTime
{
    /// <summary>Formats <paramref name="at"/> in UTC.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats <paramref name="at"/>, or null for none.</summary>
    public static string? Format(DateTimeOffset? at) => at is { } value ? Format(value) : null;
}
