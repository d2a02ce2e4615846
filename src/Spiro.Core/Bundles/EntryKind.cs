namespace Spiro.Core.Bundles;

/// <summary>What a manifest entry is. Serialised as <c>file</c>, <c>dir</c>, <c>emptydir</c>.</summary>
public enum EntryKind
{
    /// <summary>A regular file (symlinks to files inside the bundle become files).</summary>
    File,

    /// <summary>A directory that holds at least one entry.</summary>
    Directory,

    /// <summary>A directory with nothing in it (Salt lists these separately).</summary>
    EmptyDirectory,
}
