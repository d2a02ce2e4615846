using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Locks;

/// <summary>One exclusive lock per saltenv, serialising publish, rollback, promote and delete across processes.</summary>
/// <param name="known">Whether the store has anything of a saltenv (a pointer, a release, history); a lock on one it has not is removed on release.</param>
/// <param name="sharing">A cluster's cross-master lock, taken after this one (<see cref="Sharing.IReleaseSharing.LockAsync"/>).</param>
internal sealed class SaltEnvLocks(StoreLayout layout, TimeProvider time, TimeSpan timeout, Func<SaltEnvName, bool>? known = null, Sharing.IReleaseSharing? sharing = null)
{
    /// <summary>Waits up to the timeout; on failure returns null and a message naming the holder.</summary>
    /// <param name="crossMaster">In a cluster, also take the cross-master lock (every change does; following the cluster's pointer does not).</param>
    public async Task<(HeldLock? Lock, string? Message)> TakeAsync(SaltEnvName saltEnv, string actor, IProgress<string>? progress, CancellationToken cancellationToken, bool crossMaster = true)
    {
        var path = layout.SaltEnvLock(saltEnv);
        var taken = await FileLock.TakeAsync(
            path,
            exclusive: true,
            timeout,
            () => progress?.Report($"waiting for the lock on {saltEnv} held by {DescribeHolder(saltEnv)}"),
            cancellationToken).ConfigureAwait(false);
        if (taken is null)
        {
            return (null, $"{saltEnv} is locked by {DescribeHolder(saltEnv)}; gave up after {timeout.TotalSeconds:0.#} s");
        }

        IDisposable? shared = null;
        if (crossMaster && sharing is not null)
        {
            try
            {
                shared = await sharing.LockAsync(saltEnv, timeout, progress, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                taken.Dispose();
                throw;
            }

            if (shared is null)
            {
                taken.Dispose();
                return (null, $"{saltEnv} is locked by another master of the cluster; gave up after {timeout.TotalSeconds:0.#} s");
            }
        }

        WriteHolder(saltEnv, actor);
        Func<bool>? unknown = known is null ? null : () => !known(saltEnv);
        return (new HeldLock(taken, layout.SaltEnvHolder(saltEnv), layout.SaltEnvLock(saltEnv), layout.StagingFor(saltEnv), unknown) { Shared = shared }, null);
    }

    /// <summary>Takes the lock only if it is free right now (crash recovery never waits).</summary>
    public FileLock? TryTake(SaltEnvName saltEnv) => FileLock.TryTake(layout.SaltEnvLock(saltEnv), exclusive: true);

    public string DescribeHolder(SaltEnvName saltEnv)
    {
        try
        {
            var holder = LockHolder.Parse(File.ReadAllText(layout.SaltEnvHolder(saltEnv)));
            // A note left by a holder that crashed names a process that no longer exists.
            return holder is not null && Directory.Exists($"/proc/{holder.Pid}") ? holder.Describe() : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    private void WriteHolder(SaltEnvName saltEnv, string actor)
    {
        var path = layout.SaltEnvHolder(saltEnv);
        var temp = path + ".tmp";
        File.WriteAllText(temp, LockHolder.Current(actor, time.GetUtcNow()).Serialise());
        DurableFs.Rename(temp, path);
    }
}
