using System.Globalization;

namespace Spiro.Bench;

/// <summary>Repeated timings of one step: the median is what ratios use, the range shows the noise.</summary>
internal sealed class Samples(string name)
{
    private readonly List<TimeSpan> _times = [];
    private readonly List<TimeSpan> _cpu = [];

    public string Name => name;

    public int Count => _times.Count;

    public TimeSpan Median => MedianOf(_times);

    /// <summary>Median CPU time (user + system), when the step recorded it.</summary>
    public TimeSpan CpuMedian => MedianOf(_cpu);

    public void Add(TimeSpan time) => _times.Add(time);

    /// <summary>One run's wall time and CPU time (see <see cref="Measure.TimeWithCpuAsync"/>).</summary>
    public void Add((TimeSpan Wall, TimeSpan Cpu) run)
    {
        _times.Add(run.Wall);
        _cpu.Add(run.Cpu);
    }

    /// <summary>"median 450 ms (420-480 ms, 3 runs)".</summary>
    public override string ToString() => _times.Count == 0 ? "no runs" : string.Create(CultureInfo.InvariantCulture,
        $"median {Median.TotalMilliseconds:0} ms ({_times.Min().TotalMilliseconds:0}-{_times.Max().TotalMilliseconds:0} ms, {_times.Count} runs)")
        + (_cpu.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", cpu {CpuMedian.TotalMilliseconds:0} ms ({_cpu.Min().TotalMilliseconds:0}-{_cpu.Max().TotalMilliseconds:0})"));

    /// <summary>CPU median over CPU median, "1.23x" (empty when either step has no CPU times).</summary>
    public string CpuRatioTo(Samples baseline) => _cpu.Count == 0 || baseline._cpu.Count == 0 ? "n/a" :
        (CpuMedian.TotalMilliseconds / Math.Max(1e-3, baseline.CpuMedian.TotalMilliseconds)).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static TimeSpan MedianOf(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Median over median, "1.23x".</summary>
    public string RatioTo(Samples baseline) =>
        (Median.TotalMilliseconds / Math.Max(1e-3, baseline.Median.TotalMilliseconds)).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>The machine's load average when figures are taken: they are only comparable at similar load.</summary>
    public static string Load() => "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
