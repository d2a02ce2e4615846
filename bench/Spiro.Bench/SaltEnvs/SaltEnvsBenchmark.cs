using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spiro.Core.Releases;
using Spiro.Testing.Salt;

namespace Spiro.Bench.SaltEnvs;

/// <summary>
/// What many saltenvs cost a minion's run, on the real-Salt lab, in the default mode and in scale
/// mode (docs/salt.md): for N saltenvs (one whose top lists m1, the rest targeting no minion) the
/// time of <c>state.show_top</c>, a plain <c>state.highstate</c> and <c>state.highstate saltenv=one/dev</c>
/// on m1, and the fileserver and master_tops calls the adapter served for each; rounds alternate
/// the two modes; the ratio N=max / N=first is printed per mode.
/// </summary>
internal sealed class SaltEnvsBenchmark : IScenario
{
    public string Name => "saltenvs";

    public string Description => "many saltenvs on real Salt, default vs scale mode  [--counts 1,300,1000] [--rounds 3]";

    public async Task<int> RunAsync(BenchArgs args)
    {
        var counts = (args.Get("counts") ?? "1,300,1000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var rounds = (int)args.GetLong("rounds", 3);
        if (counts.Length == 0 || counts.Any(c => c < 1) || !counts.SequenceEqual(counts.Order()) || rounds < 1)
        {
            Console.Error.WriteLine("--counts must be increasing numbers >= 1 (e.g. 1,300,1000); --rounds >= 1");
            return 2;
        }

        Console.WriteLine($"saltenvs benchmark: counts {string.Join(", ", counts)}, {rounds} rounds per count alternating default and scale mode");
        await using var lab = await SaltLab.StartAsync(new SaltLabOptions { CommandTimeout = TimeSpan.FromMinutes(10) });
        Console.WriteLine($"lab up in {lab.StartupTime.TotalSeconds:0.0} s ({lab.Source})");
        var counter = new FileserverCallCounter(lab.Layout.ModuleDir, Path.Combine(lab.Layout.Root, "bench-calls"));
        counter.Install();
        lab.WriteMasterConfig("bench.conf", counter.MasterConfig);
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = lab.Layout.SpiroData, KeepReleasesFromDataDirectory = true }, TimeProvider.System);
        var filler = new SaltEnvFiller(store);
        await filler.PublishOneAsync();

        var run = new Run(lab, counter);
        await run.SwitchAsync(Mode.Default);
        var samples = new List<Sample>();
        foreach (var count in counts)
        {
            var clock = Stopwatch.StartNew();
            await filler.FillToAsync(count);
            Measure.Run("sync");
            Console.WriteLine($"{count} saltenvs published ({clock.Elapsed.TotalSeconds:0.0} s)");
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which mode goes first, so drift in the machine's load hits both alike.
                foreach (var mode in round % 2 == 0 ? new[] { Mode.Default, Mode.Scale } : [Mode.Scale, Mode.Default])
                {
                    await run.SwitchAsync(mode);
                    samples.AddRange(await run.MeasureAsync(count, mode));
                }
            }
        }

        Report.Print(samples, counts);
        return 0;
    }

    internal enum Mode
    {
        Default,
        Scale,
    }

    internal sealed record Sample(int Count, Mode Mode, string Operation, TimeSpan Time, int FileserverCalls, int TopsCalls);

    private sealed class Run(SaltLab lab, FileserverCallCounter counter)
    {
        private const string ScaleConfig = "scale.conf";
        private Mode? _mode;

        public async Task SwitchAsync(Mode mode)
        {
            if (_mode == mode)
            {
                return;
            }

            if (mode == Mode.Scale)
            {
                // What `spiro salt install --scale` adds to the seed config.
                lab.WriteMasterConfig(ScaleConfig, "master_tops:\n  spiro: {}\n");
            }
            else
            {
                lab.RemoveMasterConfig(ScaleConfig);
            }

            await lab.RestartMasterAsync();
            _mode = mode;
            // Every master worker reads the store's tops once; warm them all alike in both modes.
            for (var i = 0; i < 3; i++)
            {
                await lab.SaltJsonAsync("*", "state.show_top");
            }
        }

        public async Task<IReadOnlyList<Sample>> MeasureAsync(int count, Mode mode)
        {
            var samples = new List<Sample>();
            foreach (var (operation, arguments, check) in Operations)
            {
                counter.Reset();
                var clock = Stopwatch.StartNew();
                var output = await lab.SaltJsonAsync("m1", arguments[0], arguments[1..]);
                var time = clock.Elapsed;
                var (fileserver, tops) = counter.Read();
                check(output["m1"], $"{operation} with {count} saltenvs in {mode} mode");
                samples.Add(new Sample(count, mode, operation, time, fileserver, tops));
            }

            return samples;
        }

        private static readonly (string Name, string[] Arguments, Action<JsonNode?, string> Check)[] Operations =
        [
            ("show_top", ["state.show_top"], CheckTop),
            ("highstate", ["state.highstate"], CheckApplied),
            ("highstate saltenv=one/dev", ["state.highstate", "saltenv=" + SaltEnvFiller.One], CheckApplied),
        ];

        // A benchmark of wrong answers is worthless: each run must give m1 exactly one/dev's state.
        private static void CheckTop(JsonNode? top, string what)
        {
            if (top is not JsonObject envs || envs.Count != 1 || envs[SaltEnvFiller.One.ToString()]?.ToJsonString() != "[\"app\"]")
            {
                throw new InvalidOperationException($"{what}: m1's top data is {top?.ToJsonString() ?? "missing"}, expected {{\"one/dev\": [\"app\"]}}");
            }
        }

        private static void CheckApplied(JsonNode? result, string what)
        {
            var states = result as JsonObject;
            if (states is null || states.Count != 1 || states.Single() is not { Key: var key, Value: JsonObject state }
                || !key.Contains(SaltEnvFiller.OneStateId, StringComparison.Ordinal) || state["result"]?.GetValue<bool>() != true)
            {
                throw new InvalidOperationException($"{what}: m1 returned {result?.ToJsonString() ?? "nothing"}, expected only {SaltEnvFiller.OneStateId} succeeding");
            }
        }
    }
}
