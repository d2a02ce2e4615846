using System.Globalization;

namespace Spiro.Core.Tokens;

/// <summary>Parses lifespans such as <c>90d</c>, <c>12h</c>, <c>30m</c>, <c>2w</c>, <c>45s</c>.</summary>
public static class TokenLifespan
{
    /// <summary>The duration, or null and an error naming the accepted forms.</summary>
    public static TimeSpan? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            error = $"lifespan '{text}' is invalid; use a positive number followed by s, m, h, d or w (e.g. 90d)";
            return null;
        }

        TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(7 * amount),
            _ => null,
        };
        if (span is null)
        {
            error = $"lifespan '{text}' has an unknown unit; use s, m, h, d or w (e.g. 90d)";
        }

        return span;
    }
}
