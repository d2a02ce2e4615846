using System.Runtime.InteropServices;

namespace Spiro.Protocol.Bundles;

/// <summary>
/// What lstat says about a path, read with statx(2) (one struct layout on every Linux
/// architecture): its type and mode as TarWriter records them, and the identity a cached hash
/// is keyed by. A file whose device, inode, size, mtime and ctime are all unchanged has not been
/// written since (ctime moves on every write, chmod and rename, and cannot be set by a user).
/// </summary>
/// <param name="Device">st_dev (major and minor).</param>
/// <param name="Inode">st_ino.</param>
/// <param name="Mode">st_mode: type and permission bits.</param>
/// <param name="Size">st_size.</param>
/// <param name="ModifiedNs">st_mtime in nanoseconds since the epoch.</param>
/// <param name="ChangedNs">st_ctime in nanoseconds since the epoch.</param>
public readonly partial record struct FileStamp(ulong Device, ulong Inode, int Mode, long Size, long ModifiedNs, long ChangedNs)
{
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int SymlinkType = 0xA000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7FF;

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;

    /// <summary>Permission, setuid/setgid and sticky bits: what TarWriter puts in the header's mode.</summary>
    public int Permissions => Mode & 0b111_111_111_111;

    /// <summary>The path's stamp (not following a final symlink), or null when statx fails or this is not Linux.</summary>
    public static FileStamp? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx is 256 bytes; offsets from linux/stat.h.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        var inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        var size = MemoryMarshal.Read<long>(buffer[40..]);
        var changed = Nanoseconds(buffer[96..]);
        var modified = Nanoseconds(buffer[112..]);
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        return new FileStamp(device, inode, mode, size, modified, changed);
    }

    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000L) + MemoryMarshal.Read<uint>(timestamp[8..]);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);
}
