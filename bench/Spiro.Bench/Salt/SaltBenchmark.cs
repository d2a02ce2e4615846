using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Spiro.Testing.Salt;

namespace Spiro.Bench.Salt;

/// <summary>
/// <c>salt</c>: on the real-Salt lab (tests/Spiro.Testing), the spiro fileserver backend against Salt's
/// own <c>roots</c> backend serving the same 20,000-file tree in one run: <c>cp.list_master</c> and
/// <c>cp.cache_dir</c> of a 2,000-file folder with a cold and a warm minion cache, repeated and
/// alternated, medians with min-max, ratios spiro/roots.
/// </summary>
internal sealed class SaltBenchmark : IScenario
{
    private const string SpiroEnv = "bench/tree";
    private const string RootsEnv = "base";
    private const int Folders = 10;
    private const int FilesPerFolder = 2000;
    private const string Folder = "d03";

    public string Name => "salt";

    public string Description => "spiro backend vs Salt's roots on the real-Salt lab: cp.list_master, cp.cache_dir cold/warm of 2,000 of 20,000 files (--rounds N)";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var rounds = (int)args.GetLong("rounds", 5);
        if (SaltSource.Current is null)
        {
            Console.Error.WriteLine($"bench salt: {SaltSource.Missing}");
            return 3;
        }

        var clock = Stopwatch.StartNew();
        await using var lab = await SaltLab.StartAsync(new SaltLabOptions { CommandTimeout = TimeSpan.FromMinutes(15) });
        Console.WriteLine($"lab ({lab.Source}) ready in {lab.StartupTime.TotalSeconds:0.0} s");
        await PublishTreeAsync(lab);
        Console.WriteLine($"tree of {Folders * FilesPerFolder} files in roots ({RootsEnv}) and spiro ({SpiroEnv}) after {clock.Elapsed.TotalSeconds:0} s");

        // Untimed warm-up of both backends in every master worker (each keeps its own caches).
        foreach (var env in new[] { RootsEnv, SpiroEnv })
        {
            for (var i = 0; i < 3; i++)
            {
                await ListAsync(lab, env);
            }
        }

        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which backend goes first, so drift in machine load hits both alike.
            var order = round % 2 == 0 ? new[] { RootsEnv, SpiroEnv } : [SpiroEnv, RootsEnv];
            Add(samples, "test.ping", await TimeAsync(() => lab.SaltAsync("m1", "test.ping", "--out=json", "--static"), _ => true));
            foreach (var env in order)
            {
                var name = env == RootsEnv ? "roots" : "spiro";
                Add(samples, $"{name} cp.list_master", await ListAsync(lab, env));
                if (Directory.Exists(lab.Layout.MinionFileCache("m1", env)))
                {
                    Directory.Delete(lab.Layout.MinionFileCache("m1", env), recursive: true);
                }

                Add(samples, $"{name} cp.cache_dir cold", await CacheDirAsync(lab, env));
                Add(samples, $"{name} cp.cache_dir warm", await CacheDirAsync(lab, env));
            }

            Console.WriteLine($"round {round + 1}/{rounds} done after {clock.Elapsed.TotalSeconds:0} s");
        }

        Console.WriteLine(Report(samples, rounds));
        return 0;
    }

    private static async Task PublishTreeAsync(SaltLab lab)
    {
        var tree = Directory.CreateTempSubdirectory("spiro-bench-tree-").FullName;
        try
        {
            for (var folder = 0; folder < Folders; folder++)
            {
                var dir = Path.Combine(tree, $"d{folder:00}");
                Directory.CreateDirectory(dir);
                for (var file = 0; file < FilesPerFolder; file++)
                {
                    // 1-3 KiB of text per file, distinct content (no dedup shortcut for either backend).
                    var line = $"folder {folder} file {file} " + new string((char)('a' + (file % 26)), 40) + "\n";
                    var text = new StringBuilder().Insert(0, line, 16 + (file % 32)).ToString();
                    await File.WriteAllTextAsync(Path.Combine(dir, $"f{file:0000}.txt"), text);
                }
            }

            var bundle = tree + ".tar";
            await TarFile.CreateFromDirectoryAsync(tree, bundle, includeBaseDirectory: false);
            var publish = await lab.SpiroAsync("publish", SpiroEnv, bundle);
            File.Delete(bundle);
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"spiro publish failed:\n{publish}");
            }

            Measure.Run("cp", "-a", tree + "/.", lab.Layout.FileRoots);
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    private static Task<double> ListAsync(SaltLab lab, string env) =>
        TimeAsync(() => lab.SaltAsync("m1", "cp.list_master", $"saltenv={env}", "--out=json", "--static"),
            output => output.Contains($"{Folder}/f1999.txt", StringComparison.Ordinal));

    private static Task<double> CacheDirAsync(SaltLab lab, string env) =>
        TimeAsync(() => lab.SaltAsync("m1", "cp.cache_dir", $"salt://{Folder}", $"saltenv={env}", "-t", "900", "--out=json", "--static"),
            output => output.Split($"{Folder}/f").Length - 1 == FilesPerFolder);

    private static async Task<double> TimeAsync(Func<Task<Spiro.Testing.CommandResult>> run, Func<string, bool> check)
    {
        var clock = Stopwatch.StartNew();
        var result = await run();
        var seconds = clock.Elapsed.TotalSeconds;
        return result.ExitCode == 0 && check(result.Output)
            ? seconds
            : throw new InvalidOperationException($"salt command failed or answered unexpectedly:\n{result}");
    }

    private static void Add(Dictionary<string, List<double>> samples, string name, double seconds)
    {
        if (!samples.TryGetValue(name, out var list))
        {
            samples[name] = list = [];
        }

        list.Add(seconds);
    }

    private static string Report(Dictionary<string, List<double>> samples, int rounds)
    {
        static double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        string Cell(string name) => string.Create(CultureInfo.InvariantCulture,
            $"{Median(samples[name]):0.00} s ({samples[name].Min():0.00}-{samples[name].Max():0.00})");

        var ping = Median(samples["test.ping"]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"salt m1 ... on the lab, {rounds} rounds alternated, median (min-max); test.ping {Cell("test.ping")}");
        text.AppendLine("| operation | roots | spiro | spiro/roots | spiro/roots without test.ping |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var operation in new[] { "cp.list_master", "cp.cache_dir cold", "cp.cache_dir warm" })
        {
            var roots = Median(samples[$"roots {operation}"]);
            var spiro = Median(samples[$"spiro {operation}"]);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {operation} | {Cell($"roots {operation}")} | {Cell($"spiro {operation}")} | {spiro / roots:0.00}x | {Math.Max(spiro - ping, 0) / Math.Max(roots - ping, 1e-3):0.00}x |");
        }

        return text.ToString();
    }
}
