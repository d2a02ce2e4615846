namespace Spiro.Core.Releases.Layout;

/// <summary>File-system steps whose order and durability the store's crash safety rests on.</summary>
internal static class DurableFs
{
    private const UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode ExecutableFile = ReadOnlyFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public const UnixFileMode ReadOnlyDirectory = ExecutableFile;

    /// <summary>Makes a directory's entries (creates, renames, unlinks) durable.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Posix.Error("open", path);
        }

        try
        {
            if (Posix.Fsync(fd) != 0)
            {
                throw Posix.Error("fsync", path);
            }
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    /// <summary>Flushes every dirty page of the file system holding <paramref name="path"/> (one call instead of one fsync per file).</summary>
    public static void SyncFileSystem(string path)
    {
        var fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Posix.Error("open", path);
        }

        try
        {
            if (Posix.Syncfs(fd) != 0)
            {
                throw Posix.Error("syncfs", path);
            }
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    /// <summary>rename(2): atomic replace, also for a symlink over a symlink and a directory into place.</summary>
    public static void Rename(string from, string to)
    {
        if (Posix.Rename(from, to) != 0)
        {
            throw Posix.Error("rename to " + to + " from", from);
        }
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="target"/> atomically: a reader sees the old or the new target, never none.</summary>
    public static void ReplaceSymlink(string link, string target, string tempName)
    {
        var directory = Path.GetDirectoryName(link)!;
        var temp = Path.Combine(directory, tempName);
        File.Delete(temp);
        File.CreateSymbolicLink(temp, target);
        Rename(temp, link);
        FsyncDirectory(directory);
    }

    /// <summary>The raw target of a symlink, or null when <paramref name="link"/> is not a symlink.</summary>
    public static string? ReadLink(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Writes a small file completely and fsyncs it before returning.</summary>
    public static void WriteDurably(string path, Action<Stream> write)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Removes a tree whose directories may be read-only (as published releases are).</summary>
    public static void RemoveTree(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        SetMode(path, Writable);
        foreach (var directory in Directory.EnumerateDirectories(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            SetMode(directory, Writable);
        }

        Directory.Delete(path, recursive: true);
    }

    /// <summary>Makes every directory under <paramref name="root"/> (not root itself) read-only, deepest first.</summary>
    public static void SealDirectories(string root)
    {
        var directories = Directory.GetDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint });
        foreach (var directory in directories.OrderByDescending(d => d.Length))
        {
            SetMode(directory, ReadOnlyDirectory);
        }
    }

    /// <summary>chmod; the store runs on Linux, the guard keeps the platform analyzer honest.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
