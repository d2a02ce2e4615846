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

    /// <summary>
    /// The longest duration a timer takes: .NET's timers (<c>CancelAfter</c>, <c>Task.Delay</c>) stop at
    /// 2^32-2 ms, about 49.7 days; timeouts, keep-alives and session lifetimes are bounded by it.
    /// </summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(49);

    /// <summary>The longest token lifespan: far beyond any sane one, well inside what a date can hold.</summary>
    public static readonly TimeSpan MaxLifespan = TimeSpan.FromDays(100 * 365);

    /// <summary>The shortest duration: anything shorter rounds to nothing at .NET's tick.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(1);

    /// <summary>How the forms are described in errors.</summary>
    public const string Forms = "a positive number of seconds, or a number followed by s, m, h, d or w (e.g. 900, 15m, 1h, 90d)";

    /// <summary>
    /// The duration, from <see cref="Min"/> up to <paramref name="maximum"/> (default <see cref="MaxTimer"/>),
    /// or null and an error that names <paramref name="what"/> and the accepted forms or the bound.
    /// </summary>
    public static TimeSpan? TryParse(string? text, string what, out string? error, TimeSpan? maximum = null)
    {
        var most = maximum ?? MaxTimer;
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
        if (seconds > most.TotalSeconds)
        {
            error = $"{what} '{trimmed}' is longer than the {Show(most)} allowed";
            return null;
        }

        if (seconds < Min.TotalSeconds)
        {
            error = $"{what} '{trimmed}' is shorter than the {Show(Min)} allowed";
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string Show(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0.###} ms";

    private static string Shown(string? text) => text is null ? "" : text.Length > MaxLength ? text[..MaxLength] + "..." : text;
}
