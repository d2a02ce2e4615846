using System.Diagnostics;

namespace Spiro.Bench;

/// <summary>
/// <c>perf record -a -g</c> around one measured step, for the profiles in bench/README.md: system-wide,
/// so the client, the server and the kernel's share of loopback TCP all show. Started before the step
/// and stopped by SIGINT after it (perf then writes its file); not used for any printed figure.
/// </summary>
internal sealed class PerfRecord
{
    private readonly Process _process;

    private PerfRecord(Process process) => _process = process;

    public static PerfRecord Start(string output)
    {
        var start = new ProcessStartInfo("perf") { RedirectStandardError = true };
        foreach (var arg in new[] { "record", "-a", "-g", "-F", "999", "-o", output })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        // perf needs a moment to open its events on every CPU before the step starts.
        Thread.Sleep(1000);
        return new PerfRecord(process);
    }

    public void Stop()
    {
        _ = Measure.Run("kill", "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process.WaitForExit();
        Console.WriteLine($"perf record written ({_process.ExitCode}): perf report -i FILE --no-children --sort comm,dso");
    }
}
