namespace Spiro.Core.Tests.Releases;

/// <summary>
/// A real clock that starts throwing once a saltenv's symlink points somewhere new (or is gone, for delete): a fault that
/// fires exactly after the flip, in the history and audit steps that read the time.
/// </summary>
internal sealed class FlipTriggeredClock(string envLink, Func<Exception> fault) : TimeProvider
{
    private readonly string? _before = new FileInfo(envLink).LinkTarget;

    public int Faults { get; private set; }

    public override DateTimeOffset GetUtcNow()
    {
        if (new FileInfo(envLink).LinkTarget != _before)
        {
            Faults++;
            throw fault();
        }

        return System.GetUtcNow();
    }
}
