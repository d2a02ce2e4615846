using System.Globalization;

namespace Spiro.Bench;

/// <summary>Repeated timings of one step: the median is what ratios use, the range shows the noise.</summary>
internal sealed class Samples(string name)
{
    private readonly List<TimeSpan> _times = [];

    public string Name => name;

    public int Count => _times.Count;

    public TimeSpan Median
    {
        get
        {
            var sorted = _times.Order().ToList();
            return sorted.Count == 0 ? TimeSpan.Zero
                : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
                : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public void Add(TimeSpan time) => _times.Add(time);

    /// <summary>"median 450 ms (420-480 ms, 3 runs)".</summary>
    public override string ToString() => _times.Count == 0 ? "no runs" : string.Create(CultureInfo.InvariantCulture,
        $"median {Median.TotalMilliseconds:0} ms ({_times.Min().TotalMilliseconds:0}-{_times.Max().TotalMilliseconds:0} ms, {_times.Count} runs)");

    /// <summary>Median over median, "1.23x".</summary>
    public string RatioTo(Samples baseline) =>
        (Median.TotalMilliseconds / Math.Max(1e-3, baseline.Median.TotalMilliseconds)).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>The machine's load average when figures are taken: they are only comparable at similar load.</summary>
    public static string Load() => "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
