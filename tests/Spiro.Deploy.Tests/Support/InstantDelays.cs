namespace Spiro.Deploy.Tests.Support;

/// <summary>The system clock, except that timers fire at once: re-attach backoff without the wait.</summary>
internal sealed class InstantDelays : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period);
}
