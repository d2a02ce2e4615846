using System.Diagnostics;

namespace Spiro.Testing.Store;

/// <summary>
/// A saltenv lock held by another process, exactly as a second spiro would hold it: flock(1) takes
/// the lock, then runs a shell that says so on stdout. <see cref="Hold"/> returns only after that
/// line, so the lock is held when the test goes on; no polling, no deadline that passes silently.
/// </summary>
public sealed class OtherProcessLock : IDisposable
{
    /// <summary>How long flock may take to start and take a free lock before the test fails.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _holder;

    private OtherProcessLock(Process holder) => _holder = holder;

    /// <summary>Takes <paramref name="lockFile"/> (creating its directory) in a child process and holds it until disposed.</summary>
    public static OtherProcessLock Hold(string lockFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);

        // --close: the shell does not inherit the locked descriptor, so killing flock frees the lock.
        var info = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--exclusive", "--close", lockFile, "sh", "-c", "echo held; exec sleep 600" })
        {
            info.ArgumentList.Add(arg);
        }

        var holder = Process.Start(info)!;
        var line = holder.StandardOutput.ReadLineAsync();
        if (!line.Wait(StartTimeout) || line.Result != "held")
        {
            holder.Kill(entireProcessTree: true);
            holder.Dispose();
            throw new TimeoutException($"flock did not report holding {lockFile} within {StartTimeout.TotalSeconds} s");
        }

        return new OtherProcessLock(holder);
    }

    /// <summary>Whether some process holds <paramref name="lockFile"/> now (flock --nonblock fails).</summary>
    public static bool IsHeld(string lockFile)
    {
        if (!File.Exists(lockFile))
        {
            return false;
        }

        using var probe = Process.Start(new ProcessStartInfo("flock") { ArgumentList = { "--nonblock", "--exclusive", lockFile, "true" } })!;
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }

    /// <summary>Frees the lock: flock and its shell end.</summary>
    public void Dispose()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill(entireProcessTree: true);
        }

        _holder.WaitForExit();
        _holder.Dispose();
    }
}
