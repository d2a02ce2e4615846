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

        Console.WriteLine($"saltenvs benchmark: counts {string.Join(", ", counts)}, {rounds} rounds, each over every count in both modes (order alternating)");
        await using var lab = await SaltLab.StartAsync(new SaltLabOptions { CommandTimeout = TimeSpan.FromMinutes(10) });
        Console.WriteLine($"lab up in {lab.StartupTime.TotalSeconds:0.0} s ({lab.Source})");
        var counter = new FileserverCallCounter(lab.Layout.ModuleDir, Path.Combine(lab.Layout.Root, "bench-calls"));
        counter.Install();
        lab.WriteMasterConfig("bench.conf", counter.MasterConfig);
        // One store per count, switched by the master's spiro_data: rounds then interleave counts as
        // well as modes, so the machine's load drifting over the run hits every count alike.
        var stores = new Dictionary<int, string>();
        foreach (var count in counts)
        {
            var data = Path.Combine(lab.Layout.Root, $"store-{count}");
            var clock = Stopwatch.StartNew();
            var filler = new SaltEnvFiller(ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System));
            await filler.PublishOneAsync();
            await filler.FillToAsync(count);
            stores[count] = data;
            Console.WriteLine($"{count} saltenvs published ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        Measure.Run("sync");
        var run = new Run(lab, counter, new LabCpuMeter(lab));
        var configs = counts.SelectMany(count => new[] { (count, Mode.Default), (count, Mode.Scale) }).ToList();
        var samples = new List<Sample>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order each round, so neither the first nor the last config is always the same one.
            foreach (var (count, mode) in round % 2 == 0 ? configs : Enumerable.Reverse(configs))
            {
                await run.SwitchAsync(stores[count], mode);
                samples.AddRange(await run.MeasureAsync(count, mode));
            }

            Console.WriteLine($"round {round + 1} of {rounds} done");
        }

        Report.Print(samples, counts);
        return 0;
    }

    internal enum Mode
    {
        Default,
        Scale,
    }

    internal sealed record Sample(int Count, Mode Mode, string Operation, TimeSpan Time, double CpuSeconds, int FileserverCalls, int TopsCalls);

    private sealed class Run(SaltLab lab, FileserverCallCounter counter, LabCpuMeter cpu)
    {
        private const string ScaleConfig = "scale.conf";

        // Named to sort after spiro.conf: the later include wins.
        private const string StoreConfig = "zz-bench-store.conf";
        private (string Data, Mode Mode)? _config;

        public async Task SwitchAsync(string data, Mode mode)
        {
            if (_config == (data, mode))
            {
                return;
            }

            lab.WriteMasterConfig(StoreConfig, $"spiro_data: {data}\n");
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
            _config = (data, mode);
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
                var cpuBefore = cpu.Now();
                var clock = Stopwatch.StartNew();
                var output = await lab.SaltJsonAsync("m1", arguments[0], arguments[1..]);
                var time = clock.Elapsed;
                var cpuSeconds = cpu.Now() - cpuBefore;
                var (fileserver, tops) = counter.Read();
                check(output["m1"], $"{operation} with {count} saltenvs in {mode} mode");
                samples.Add(new Sample(count, mode, operation, time, cpuSeconds, fileserver, tops));
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
