using System.Globalization;
using Sample = Spiro.Bench.SaltEnvs.SaltEnvsBenchmark.Sample;
using Mode = Spiro.Bench.SaltEnvs.SaltEnvsBenchmark.Mode;

namespace Spiro.Bench.SaltEnvs;

/// <summary>The saltenvs benchmark's table: medians with spread, calls, and the ratios that matter.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<Sample> samples, IReadOnlyList<int> counts)
    {
        Console.WriteLine();
        Console.WriteLine($"{"saltenvs",8}  {"mode",-7}  {"operation",-26}  {"median",8}  {"min-max",13}  {"cpu",7}  {"cpu min-max",13}  {"fs calls",8}  {"tops calls",10}");
        foreach (var group in samples.GroupBy(s => (s.Count, s.Mode, s.Operation)))
        {
            var times = group.Select(s => s.Time.TotalSeconds).Order().ToList();
            var cpu = group.Select(s => s.CpuSeconds).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Count,8}  {Name(group.Key.Mode),-7}  {group.Key.Operation,-26}  {Median(times),6:0.00} s  {times[0],5:0.00}-{times[^1],5:0.00} s  {Median(cpu),5:0.00} s  {cpu[0],5:0.00}-{cpu[^1],5:0.00} s  {Median(group.Select(s => (double)s.FileserverCalls).Order().ToList()),8:0}  {Median(group.Select(s => (double)s.TopsCalls).Order().ToList()),10:0}"));
        }

        if (counts.Count < 2)
        {
            return;
        }

        var (low, high) = (counts[0], counts[^1]);
        Console.WriteLine();
        Console.WriteLine($"ratio of medians, {high} saltenvs / {low} saltenv(s), wall time | CPU time of Salt (master, m1, the salt command):");
        foreach (var operation in samples.Select(s => s.Operation).Distinct())
        {
            var line = $"  {operation,-26}";
            foreach (var (label, value) in new (string, Func<Sample, double>)[] { ("wall", s => s.Time.TotalSeconds), ("cpu", s => s.CpuSeconds) })
            {
                line += $"  {label}:";
                foreach (var mode in new[] { Mode.Scale, Mode.Default })
                {
                    double MedianOf(int count) => Median(samples.Where(s => s.Count == count && s.Mode == mode && s.Operation == operation).Select(value).Order().ToList());
                    line += string.Create(CultureInfo.InvariantCulture, $" {Name(mode)} {MedianOf(high) / MedianOf(low),5:0.00}x");
                }
            }

            Console.WriteLine(line);
        }
    }

    private static string Name(Mode mode) => mode == Mode.Scale ? "scale" : "default";

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
