using System.Globalization;

namespace Spiro.Core.Metadata;

/// <summary>How a time is stored in a metadata text column: UTC, seven fraction digits, so text order is time order.</summary>
public static class MetadataTime
{
    /// <summary>The stored text of <paramref name="at"/> (<c>2026-12-01T23:35:41.0000000Z</c>).</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>A stored time back; text without an offset is UTC.</summary>
    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
