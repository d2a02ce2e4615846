using System.Globalization;

namespace Spiro.Dashboard.Html;

/// <summary>How values read on a page: UTC times, byte sizes, short hashes.</summary>
internal static class Show
{
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Short(string? hash, int length = 12) =>
        hash is null ? "-" : hash.Length <= length ? hash : hash[..length];
}
