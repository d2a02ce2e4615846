using System.Diagnostics;
using System.Globalization;

namespace Spiro.Bench;

/// <summary>Timing, disk use and memory probes shared by scenarios.</summary>
internal static class Measure
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>
    /// Wall time and CPU time (user + system) of <paramref name="action"/>: this process's own
    /// threads plus the children it waited for (a tar child counts once it has exited). CPU time
    /// is what a loaded machine changes least, so it is printed next to the wall-time ratios.
    /// </summary>
    public static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeWithCpuAsync(Func<Task> action)
    {
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return (clock.Elapsed, CpuTime() - cpu);
    }

    /// <summary>utime + stime + cutime + cstime from /proc/PID/stat (clock ticks of 10 ms), of this process by default.</summary>
    public static TimeSpan CpuTime(string process = "self")
    {
        var stat = File.ReadAllText($"/proc/{process}/stat");
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = 0L;
        for (var i = 11; i <= 14; i++)
        {
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Bytes used by a directory tree; du counts each inode once, so hard links are free.</summary>
    public static long DiskUse(string path) => long.Parse(Run("du", "-s", "--block-size=1", path).Split('\t')[0], CultureInfo.InvariantCulture);

    /// <summary>Peak resident set size of this process (VmHWM), in bytes.</summary>
    public static long PeakRss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts VmHWM over from the current RSS (writing 5 to clear_refs), so a peak excludes what came before.</summary>
    public static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>
    /// Bytes this process sent (or will send) to storage: /proc/self/io write_bytes minus
    /// cancelled_write_bytes (dirty pages dropped because their file was deleted first).
    /// </summary>
    public static long NetStorageWrites()
    {
        var fields = File.ReadLines("/proc/self/io")
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return fields["write_bytes"] - fields["cancelled_write_bytes"];
    }

    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }

    /// <summary>
    /// "ext4 /" for the file system holding <paramref name="path"/>, with "without a journal" when
    /// ext4 runs without one: there, inodes freed in the last minutes slow every file creation
    /// (see <see cref="FreshDirectories"/>), so a figure from such a disk needs the note.
    /// </summary>
    public static string FileSystem(string path)
    {
        var fields = Run("df", "--output=source,fstype,target", path).Split('\n').Last().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (source, type, target) = (fields[0], fields[1], fields[2]);
        var journal = $"/sys/fs/ext4/{Path.GetFileName(source)}/journal_task";
        var noJournal = type == "ext4" && File.Exists(journal) && File.ReadAllText(journal).Trim() == "<none>";
        return noJournal ? $"{type} without a journal {target}" : $"{type} {target}";
    }

    public static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
