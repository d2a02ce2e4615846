namespace Spiro.Core.Bundles;

/// <summary>What a path in a bundle is while it is being read (links are resolved to files at the end).</summary>
internal enum NodeKind
{
    File,
    Directory,
    Symlink,
    Hardlink,
}
