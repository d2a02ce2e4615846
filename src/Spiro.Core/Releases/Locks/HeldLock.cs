namespace Spiro.Core.Releases.Locks;

/// <summary>A taken saltenv lock; disposing removes the holder note first, then releases the flock, so a note never outlives its holder (short of a crash).</summary>
internal sealed class HeldLock(FileLock fileLock, string holderPath) : IDisposable
{
    public void Dispose()
    {
        try
        {
            File.Delete(holderPath);
        }
        finally
        {
            fileLock.Dispose();
        }
    }
}
