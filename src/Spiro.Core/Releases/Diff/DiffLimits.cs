namespace Spiro.Core.Releases.Diff;

/// <summary>Bounds of a release comparison, so a huge bundle cannot make a diff page expensive.</summary>
public sealed record DiffLimits
{
    /// <summary>Largest file (either side, bytes) shown as a unified diff. Default 256 KiB.</summary>
    public int MaxTextBytes { get; init; } = 256 * 1024;

    /// <summary>How many changed files get a unified diff; the rest are listed only. Default 50.</summary>
    public int MaxTextDiffs { get; init; } = 50;
}
