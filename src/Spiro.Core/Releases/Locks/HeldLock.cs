namespace Spiro.Core.Releases.Locks;

/// <summary>
/// A taken saltenv lock; disposing removes the holder note first, then releases the flock, so a
/// note never outlives its holder (short of a crash). When the saltenv turned out to be one the
/// store knows nothing of (<paramref name="unknown"/>: a first publish that was refused), its
/// empty staging directory and its lock file go too, the lock file unlinked while still held.
/// </summary>
internal sealed class HeldLock(FileLock fileLock, string holderPath, string lockPath, string stagingPath, Func<bool>? unknown = null) : IDisposable
{
    /// <summary>A cluster's cross-master lock on the saltenv, released first.</summary>
    public IDisposable? Shared { get; init; }

    public void Dispose()
    {
        try
        {
            Shared?.Dispose();
            File.Delete(holderPath);
            if (unknown?.Invoke() == true)
            {
                RemoveEmpty(stagingPath);
                RemoveEmpty(Path.GetDirectoryName(stagingPath)!);
                fileLock.Unlink(lockPath);
            }
        }
        finally
        {
            fileLock.Dispose();
        }

        if (unknown is not null)
        {
            RemoveEmpty(Path.GetDirectoryName(lockPath)!);
        }
    }

    // Only empty directories: another saltenv of the project may be using its own entries.
    private static void RemoveEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Someone created an entry meanwhile: it stays theirs.
        }
    }
}
