namespace Spiro.Server.Tests.Support;

/// <summary>The system clock shifted into the past.</summary>
internal sealed class PastClock(TimeSpan ago) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - ago;
}
