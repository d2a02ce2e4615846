using System.Globalization;

namespace Spiro.Server.Options;

/// <summary>Parses the value forms used in config files and flags: sizes (<c>2G</c>) and durations (<c>90s</c>, <c>10m</c>).</summary>
public static class ConfigValues
{
    /// <summary>Bytes from <c>1048576</c>, <c>512K</c>, <c>100M</c>, <c>2G</c>; null when invalid.</summary>
    public static long? ParseSize(string text)
    {
        text = text.Trim();
        var multiplier = 1L;
        if (text.Length > 1 && char.IsLetter(text[^1]))
        {
            multiplier = char.ToUpperInvariant(text[^1]) switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                'T' => 1L << 40,
                _ => 0,
            };
            text = text[..^1];
        }

        return multiplier > 0 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? checked(value * multiplier)
            : null;
    }

    /// <summary>A duration in the one syntax (<see cref="Spiro.Protocol.Durations.DurationText"/>, at most its timer bound); null when invalid.</summary>
    public static TimeSpan? ParseDuration(string text) => Spiro.Protocol.Durations.DurationText.TryParse(text, "duration", out _);

    /// <summary><c>true</c>/<c>yes</c>/<c>on</c>/<c>1</c> or <c>false</c>/<c>no</c>/<c>off</c>/<c>0</c> (YAML spells booleans many ways), else null.</summary>
    public static bool? ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => null,
    };
}
