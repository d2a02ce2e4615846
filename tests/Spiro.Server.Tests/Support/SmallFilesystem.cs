using System.Diagnostics;

namespace Spiro.Server.Tests.Support;

/// <summary>
/// A real, small tmpfs mounted for one test (root only), so "the disk is full" is the kernel's
/// ENOSPC and not a simulation. Unmounted on dispose.
/// </summary>
internal sealed class SmallFilesystem : IAsyncDisposable
{
    private SmallFilesystem(string path) => Path = path;

    /// <summary>Why this machine cannot mount one (not root, no mount permission), or null when it can; probed once.</summary>
    public static string? Unavailable { get; } = Probe();

    public string Path { get; }

    /// <param name="megabytes">Its size.</param>
    /// <param name="inodes">At most this many inodes (tmpfs counts every file, directory and hard link), or the tmpfs default.</param>
    public static async Task<SmallFilesystem> MountAsync(int megabytes, int? inodes = null)
    {
        var path = Directory.CreateTempSubdirectory("spiro-tmpfs-").FullName;
        var limit = inodes is { } count ? $",nr_inodes={count}" : "";
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755{limit}", "tmpfs", path);
        return code == 0 ? new SmallFilesystem(path) : throw new InvalidOperationException($"mount tmpfs at {path} failed: {error}");
    }

    /// <summary>Writes zeros into a file until the file system refuses more (ENOSPC).</summary>
    public void Fill()
    {
        var block = new byte[64 << 10];
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
        }

        // The last few bytes, block by block, so not even a page is left.
        var one = new byte[512];
        try
        {
            while (true)
            {
                filler.Write(one);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Raises or lowers the inode limit of the mounted file system.</summary>
    public async Task SetInodesAsync(int inodes)
    {
        var (code, error) = await RunAsync("mount", "-o", $"remount,nr_inodes={inodes}", Path);
        if (code != 0)
        {
            throw new InvalidOperationException($"remount {Path} with nr_inodes={inodes} failed: {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs root on Linux to mount a tmpfs";
        }

        try
        {
            var fs = MountAsync(1).GetAwaiter().GetResult();
            fs.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
