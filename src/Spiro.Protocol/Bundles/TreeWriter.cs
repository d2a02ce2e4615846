using System.Formats.Tar;

namespace Spiro.Protocol.Bundles;

/// <summary>
/// Adds a file or directory tree to a tar the way Python's <c>tarfile.add</c> does: directories
/// first (name ending in '/'), children in sorted order, symlinks stored as symlinks (never
/// followed out of the tree), modes (and so exec bits) kept.
/// </summary>
internal sealed class TreeWriter(TarWriter writer, CancellationToken cancellationToken)
{
    public async Task AddAsync(string fullPath, string entryName, Func<string, bool>? skip)
    {
        if (skip?.Invoke(fullPath) == true)
        {
            return;
        }

        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null || !info.Attributes.HasFlag(FileAttributes.Directory))
        {
            // TarWriter reads the entry with lstat: a symlink becomes a symlink entry, a file keeps its mode.
            await writer.WriteEntryAsync(fullPath, entryName, cancellationToken);
            return;
        }

        await writer.WriteEntryAsync(fullPath, entryName + "/", cancellationToken);
        foreach (var child in SortedChildren(fullPath))
        {
            await AddAsync(child, entryName + "/" + Path.GetFileName(child), skip);
        }
    }

    public static List<string> SortedChildren(string directory)
    {
        var children = Directory.EnumerateFileSystemEntries(directory).ToList();
        children.Sort(StringComparer.Ordinal);
        return children;
    }
}
