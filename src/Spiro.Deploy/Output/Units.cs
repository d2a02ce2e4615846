using System.Globalization;

namespace Spiro.Deploy.Output;

/// <summary>Human-readable sizes, rates and durations (invariant culture: CI logs are compared across machines).</summary>
internal static class Units
{
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} {units[unit]}")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }

    public static string Rate(long bytes, TimeSpan elapsed) =>
        Bytes(elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : bytes) + "/s";

    public static string Milliseconds(double ms) => ms >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms");
}
