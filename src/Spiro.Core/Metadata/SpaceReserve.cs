namespace Spiro.Core.Metadata;

/// <summary>
/// A file of zeros kept in the data directory (<c>space.reserve</c>, docs/storage.md) so that a
/// full disk still leaves room to record how a deploy ended: when a database write fails for
/// lack of space, the reserve is deleted and the write tried once more. It is made again (only
/// while there is plenty of room, so it never fills the disk itself) at start-up and after a
/// deploy ends.
/// </summary>
public sealed class SpaceReserve
{
    /// <summary>Default size: room for the few database pages a deploy's last events and row need, many times over.</summary>
    public const long DefaultBytes = 1L << 20;

    private readonly object _gate = new();

    /// <param name="path">The reserve file.</param>
    /// <param name="bytes">Its size.</param>
    public SpaceReserve(string path, long bytes = DefaultBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        Path = path;
        Bytes = bytes;
    }

    /// <summary>The reserve file.</summary>
    public string Path { get; }

    /// <summary>Its size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Whether the reserve is in place.</summary>
    public bool Held => File.Exists(Path) && new FileInfo(Path).Length == Bytes;

    /// <summary>Makes the reserve when it is missing and at least four times its size is free; false when it is not in place afterwards.</summary>
    public bool Ensure()
    {
        lock (_gate)
        {
            var file = new FileInfo(Path);
            if (file.Exists && file.Length == Bytes)
            {
                return true;
            }

            try
            {
                if (new DriveInfo(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!).AvailableFreeSpace < 4 * Bytes)
                {
                    return false;
                }

                // Written, not only sized: a sparse file would give back no room when deleted.
                using (var stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    var zeros = new byte[1 << 16];
                    for (long written = 0; written < Bytes; written += zeros.Length)
                    {
                        stream.Write(zeros, 0, (int)Math.Min(zeros.Length, Bytes - written));
                    }

                    stream.Flush(flushToDisk: true);
                }

                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(Path);
                return false;
            }
        }
    }

    /// <summary>Deletes the reserve; true when there was one to give back.</summary>
    public bool Release()
    {
        lock (_gate)
        {
            if (!File.Exists(Path))
            {
                return false;
            }

            File.Delete(Path);
            return true;
        }
    }
}
