using Spiro.Protocol.Durations;

namespace Spiro.Core.Tokens;

/// <summary>Token lifespans such as <c>90d</c>, <c>12h</c>, <c>2w</c>: the one duration syntax (<see cref="DurationText"/>).</summary>
public static class TokenLifespan
{
    /// <summary>The duration, or null and an error naming the accepted forms.</summary>
    public static TimeSpan? TryParse(string? text, out string? error) => DurationText.TryParse(text, "lifespan", out error, DurationText.MaxLifespan);
}
