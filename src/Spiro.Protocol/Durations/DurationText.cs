using System.Globalization;

namespace Spiro.Protocol.Durations;

/// <summary>
/// The one duration syntax of every SpiroFS setting and flag (token lifespans, server settings,
/// <c>spiro-deploy --timeout</c>): a positive number, whole or decimal, optionally followed by a
/// unit: <c>s</c> (the default), <c>m</c>, <c>h</c>, <c>d</c> or <c>w</c>. <c>900</c>, <c>15m</c>,
/// <c>2.5s</c>, <c>1d</c>, <c>2w</c>.
/// </summary>
public static class DurationText
{
    /// <summary>The longest text read (a duration is a few characters; nothing long is worth parsing).</summary>
    public const int MaxLength = 32;

    /// <summary>How the forms are described in errors.</summary>
    public const string Forms = "a positive number of seconds, or a number followed by s, m, h, d or w (e.g. 900, 15m, 1h, 90d)";

    /// <summary>The duration, or null and an error that names <paramref name="what"/> and the accepted forms.</summary>
    public static TimeSpan? TryParse(string? text, string what, out string? error)
    {
        error = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length is 0 or > MaxLength)
        {
            error = $"{what} '{Shown(text)}' is not a duration: use {Forms}";
            return null;
        }

        var unit = char.IsAsciiLetter(trimmed[^1]) ? char.ToLowerInvariant(trimmed[^1]) : 's';
        var number = char.IsAsciiLetter(trimmed[^1]) ? trimmed[..^1] : trimmed;
        double? scale = unit switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => null,
        };
        if (scale is null)
        {
            error = $"{what} '{trimmed}' has an unknown unit '{trimmed[^1]}': use {Forms}";
            return null;
        }

        // Digits with at most one decimal point: no sign, exponent, spaces or thousands separators.
        if (number.Length == 0 || !number.All(c => char.IsAsciiDigit(c) || c == '.') || number.Count(c => c == '.') > 1
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            error = $"{what} '{trimmed}' is not a duration: use {Forms}";
            return null;
        }

        var seconds = value * scale.Value;
        if (seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            error = $"{what} '{trimmed}' is too long a duration";
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string Shown(string? text) => text is null ? "" : text.Length > MaxLength ? text[..MaxLength] + "..." : text;
}
