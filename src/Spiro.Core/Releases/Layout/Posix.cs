using System.Runtime.InteropServices;

namespace Spiro.Core.Releases.Layout;

/// <summary>
/// The few POSIX calls .NET does not expose: hard links, rename(2) of a symlink over another,
/// fsync of a directory, flock with our own file descriptor (so .NET's own FileShare locking
/// cannot take a conflicting shared lock), and syncfs.
/// </summary>
internal static partial class Posix
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;

    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    // Same values on x86-64 and arm64 Linux; O_DIRECTORY is not (so it is not used).
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;

    // A handle that names a directory for the *at calls without opening it for reading (same value on both).
    public const int O_PATH = 0x200000;
    public const int AT_FDCWD = -100;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LinkAt(int existingDirectory, string existing, int newDirectory, byte* newPath, int flags);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LinkAt(int existingDirectory, byte* existing, int newDirectory, string newPath, int flags);

    /// <summary>
    /// link(2) from a path under one directory handle to a NUL-terminated name under another: the
    /// kernel walks only the relative parts, and the name is built without a string.
    /// </summary>
    public static unsafe int LinkAt(int existingDirectory, string existing, int newDirectory, ReadOnlySpan<byte> newPathZ)
    {
        fixed (byte* name = newPathZ)
        {
            return LinkAt(existingDirectory, existing, newDirectory, name, 0);
        }
    }

    /// <inheritdoc cref="LinkAt(int, string, int, ReadOnlySpan{byte})"/>
    public static unsafe int LinkAt(int existingDirectory, ReadOnlySpan<byte> existingZ, int newDirectory, string newPath)
    {
        fixed (byte* name = existingZ)
        {
            return LinkAt(existingDirectory, name, newDirectory, newPath, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(int directory, string path, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int Syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    /// <summary>
    /// Device and inode of <paramref name="path"/> (following symlinks), or null when stat fails.
    /// struct stat starts with st_dev and st_ino, 8 bytes each, on x86-64 and arm64 Linux alike;
    /// the rest of the struct (at most 144 bytes there) is not read.
    /// </summary>
    public static unsafe (ulong Device, ulong Inode)? Identity(string path)
    {
        var buffer = stackalloc byte[256];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        var fields = (ulong*)buffer;
        return (fields[0], fields[1]);
    }

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int Fstat(int fd, byte* buffer);

    /// <summary>Device and inode of an open descriptor (see <see cref="Identity"/>), or null when fstat fails.</summary>
    public static unsafe (ulong Device, ulong Inode)? Identity(int fd)
    {
        var buffer = stackalloc byte[256];
        if (Fstat(fd, buffer) != 0)
        {
            return null;
        }

        var fields = (ulong*)buffer;
        return (fields[0], fields[1]);
    }

    /// <summary>write(2) until all of <paramref name="data"/> is written (retrying short writes and EINTR); false on any other error.</summary>
    public static unsafe bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = Write(fd, start + done, data.Length - done);
                if (n < 0)
                {
                    if (LastError == EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                done += (int)n;
            }
        }

        return true;
    }

    /// <summary>
    /// The process umask, read from /proc/self/status (umask(2) itself would have to change it to
    /// read it, racing other threads' file creation); 0o777 when unreadable, so callers chmod explicitly.
    /// </summary>
    public static int Umask()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0b111_111_111;
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    public static IOException Error(string what, string path) =>
        new($"{what} '{path}' failed: {Marshal.GetPInvokeErrorMessage(LastError)} (errno {LastError})");
}
