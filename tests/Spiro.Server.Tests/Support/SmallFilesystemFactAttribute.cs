namespace Spiro.Server.Tests.Support;

/// <summary>A test on a real small tmpfs: skipped where none can be mounted, except under CI (CI=true), where that is a failure.</summary>
internal sealed class SmallFilesystemFactAttribute : FactAttribute
{
    public SmallFilesystemFactAttribute()
    {
        if (SmallFilesystem.Unavailable is { } why && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = why;
        }
    }
}
