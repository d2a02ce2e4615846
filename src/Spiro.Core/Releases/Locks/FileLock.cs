using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Locks;

/// <summary>
/// An flock(2) on a lock file through our own descriptor. The kernel drops it when the process
/// dies (kill -9 included), so a crashed holder never leaves a stale lock. Two opens in one
/// process conflict too (flock locks belong to the open file description).
/// </summary>
internal sealed class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <summary>Takes the lock without waiting; null when someone else holds a conflicting one.</summary>
    public static FileLock? TryTake(string path, bool exclusive)
    {
        var fd = OpenCreating(path);
        while (true)
        {
            if (Posix.Flock(fd, (exclusive ? Posix.LOCK_EX : Posix.LOCK_SH) | Posix.LOCK_NB) == 0)
            {
                // A holder may unlink its lock file before releasing it (a saltenv that was never
                // published leaves no lock file, see HeldLock): a lock on that unlinked file locks
                // nothing another process can see, so take the file the path names now instead.
                if (Posix.Identity(fd) is { } held && Posix.Identity(path) == held)
                {
                    return new FileLock(fd);
                }

                _ = Posix.Close(fd);
                fd = OpenCreating(path);
                continue;
            }

            var error = Posix.LastError;
            if (error == Posix.EINTR)
            {
                continue;
            }

            _ = Posix.Close(fd);
            return error == Posix.EAGAIN ? null : throw new IOException($"flock '{path}' failed (errno {error})");
        }
    }

    /// <summary>Removes the lock file while the lock is still held, so nothing is left of it (see <see cref="TryTake"/>).</summary>
    public void Unlink(string path)
    {
        if (_fd >= 0 && Posix.Identity(_fd) is { } held && Posix.Identity(path) == held)
        {
            File.Delete(path);
        }
    }

    // The directory may have been removed by a holder that unlinked the last lock file in it.
    private static int OpenCreating(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fd = Posix.Open(path, Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0b110_100_100);
            if (fd >= 0)
            {
                return fd;
            }

            if (Posix.LastError != Posix.ENOENT || attempt >= 10)
            {
                throw Posix.Error("open", path);
            }
        }
    }

    /// <summary>Polls until the lock is taken or <paramref name="timeout"/> passes (then null).</summary>
    public static async Task<FileLock?> TakeAsync(string path, bool exclusive, TimeSpan timeout, Action? onFirstWait, CancellationToken cancellationToken)
    {
        // Monotonic: a wall-clock jump must not cut a wait short or stretch it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        var waited = false;
        while (true)
        {
            var taken = TryTake(path, exclusive);
            if (taken is not null || clock.Elapsed >= timeout)
            {
                return taken;
            }

            if (!waited)
            {
                waited = true;
                onFirstWait?.Invoke();
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            // Closing the last descriptor releases the flock.
            _ = Posix.Close(fd);
        }
    }
}
