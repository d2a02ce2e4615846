namespace Spiro.Core.Releases.Deltas;

/// <summary>The tar entry types a plan may describe.</summary>
public enum PlannedKind
{
    /// <summary>A regular file with content.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (published as a copy of its target).</summary>
    Symlink,

    /// <summary>A hard link (published as a copy of its target).</summary>
    Hardlink,
}
