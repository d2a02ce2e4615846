using System.Globalization;
using Spiro.Testing.Salt;

namespace Spiro.Bench.SaltEnvs;

/// <summary>
/// CPU time spent by Salt on one command: every process of the master's and m1's process groups
/// (the master's workers, the minion and its job processes) plus the children this benchmark
/// reaped (the <c>salt</c> command itself), from <c>/proc/PID/stat</c>. Unlike wall time, this
/// hardly moves when other work shares the machine, so it shows the cost that grows with the
/// number of saltenvs even when the wall-clock figures are noisy.
/// </summary>
internal sealed class LabCpuMeter(SaltLab lab)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux (sysconf(_SC_CLK_TCK)), fixed by the kernel ABI

    /// <summary>Seconds of CPU (user + system, own and reaped children) the lab and this process's children have used so far.</summary>
    public double Now()
    {
        long ticks = ReadTicks(Environment.ProcessId, selfChildrenOnly: true);
        foreach (var daemon in new[] { "master", "m1" })
        {
            foreach (var pid in lab.Processes(daemon, ""))
            {
                ticks += ReadTicks(pid, selfChildrenOnly: false);
            }
        }

        return ticks / TicksPerSecond;
    }

    // Fields after the command's closing parenthesis (proc(5)): 14 utime, 15 stime, 16 cutime, 17 cstime.
    private static long ReadTicks(int pid, bool selfChildrenOnly)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return 0; // exited between listing and reading: its parent counts it once reaped
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        var children = Field(16) + Field(17);
        return selfChildrenOnly ? children : Field(14) + Field(15) + children;
    }
}
