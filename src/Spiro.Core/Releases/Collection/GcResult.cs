namespace Spiro.Core.Releases;

/// <summary>Outcome of collecting objects no kept release references.</summary>
public abstract record GcResult
{
    private GcResult()
    {
    }

    /// <summary>The collection ran (or, for a dry run, would remove these).</summary>
    /// <param name="Objects">Object paths relative to the data directory, removed or to remove.</param>
    /// <param name="Bytes">Their total size.</param>
    /// <param name="DryRun">Whether nothing was removed.</param>
    public sealed record Collected(IReadOnlyList<string> Objects, long Bytes, bool DryRun) : GcResult;

    /// <summary>A publish held the object store past the timeout.</summary>
    public sealed record Locked(string Message) : GcResult;
}
