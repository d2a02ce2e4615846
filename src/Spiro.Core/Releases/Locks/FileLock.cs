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
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fd = Posix.Open(path, Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0b110_100_100);
        if (fd < 0)
        {
            throw Posix.Error("open", path);
        }

        while (true)
        {
            if (Posix.Flock(fd, (exclusive ? Posix.LOCK_EX : Posix.LOCK_SH) | Posix.LOCK_NB) == 0)
            {
                return new FileLock(fd);
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
