namespace Spiro.Core.Releases.Diff;

/// <summary>How a file differs between two releases.</summary>
public enum FileChangeKind
{
    /// <summary>Only in the newer release.</summary>
    Added,

    /// <summary>Only in the older release.</summary>
    Removed,

    /// <summary>In both, with other content or another executable bit.</summary>
    Changed,
}
