namespace Spiro.Deploy.Tests.Support;

/// <summary>A clock that moves one second every time it is read: periodic output without waiting.</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => 1;

    public override long GetTimestamp() => Interlocked.Increment(ref ticks);
}
