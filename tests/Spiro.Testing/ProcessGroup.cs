using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Spiro.Testing;

/// <summary>
/// A daemon started as the leader of its own session and process group (<c>setsid</c>), with its output
/// in a log file. Stopping signals the whole group by its id, so the daemon's children (Salt's worker
/// processes, the engine's <c>spiro serve</c>) go with it; nothing is ever killed by name.
/// </summary>
public sealed partial class ProcessGroup
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int SigStop = 19;
    private const int SigCont = 18;

    // Held so that .NET reaps the leader when it exits: a zombie leader would keep the group "alive".
    private readonly Process? _leader;

    private ProcessGroup(int id, Process? leader)
    {
        Id = id;
        _leader = leader;
    }

    /// <summary>The leader's pid, which is also the process group id.</summary>
    public int Id { get; }

    /// <summary>Whether any process of the group is still alive.</summary>
    public bool IsAlive
    {
        get
        {
            // Right after Start, bash may not have exec'd setsid yet: the group does not exist, but the leader runs.
            if (_leader is { HasExited: false })
            {
                return true;
            }

            return Kill(-Id, 0) == 0;
        }
    }

    /// <summary>Starts <paramref name="script"/> (shell text; "$@" are <paramref name="arguments"/>) in a new session.</summary>
    public static ProcessGroup Start(string script, IEnumerable<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        // bash execs setsid, which execs the script in place (the child is not a group leader, so setsid
        // does not fork): the pid .NET sees is the daemon's pid and its group id.
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec setsid bash -c {Shell.Quote(script)} daemon \"$@\" </dev/null >>{Shell.Quote(logFile)} 2>&1");
        start.ArgumentList.Add("bash");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");

        // Until the child has called setsid it is still in the test's process group, and IsAlive
        // (kill -0 of its group) would report a daemon that is merely starting as gone: wait for it.
        var deadline = Stopwatch.StartNew();
        while (Kill(-process.Id, 0) != 0 && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(5);
        }

        return new ProcessGroup(process.Id, process);
    }

    /// <summary>A group started earlier (for example by <c>./build.sh saltlab up</c>).</summary>
    public static ProcessGroup Attach(int id) => new(id, null);

    /// <summary>SIGTERM to the group, then SIGKILL to whatever is left after <paramref name="grace"/>; waits until the group is gone.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!IsAlive)
        {
            return;
        }

        _ = Kill(-Id, SigTerm);
        var deadline = Stopwatch.StartNew();
        while (IsAlive && deadline.Elapsed < grace)
        {
            await Task.Delay(100);
        }

        while (IsAlive)
        {
            _ = Kill(-Id, SigKill);
            await Task.Delay(50);
        }
    }

    /// <summary>The pids in this group whose command line (arguments joined by spaces) contains <paramref name="text"/>.</summary>
    public IReadOnlyList<int> Members(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (fields[2] == Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>SIGKILL to the group, without waiting (process exit handlers).</summary>
    public void KillNow() => _ = Kill(-Id, SigKill);

    /// <summary>SIGSTOP to the group: it stays alive but does nothing (a hung process) until <see cref="Resume"/>.</summary>
    public void Pause() => _ = Kill(-Id, SigStop);

    /// <summary>SIGCONT to the group after <see cref="Pause"/>.</summary>
    public void Resume() => _ = Kill(-Id, SigCont);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
