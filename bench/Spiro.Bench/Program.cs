using Spiro.Bench;

// One subcommand per scenario: `./build.sh bench store [flags]`. Add a scenario to Scenarios.All.
var scenarios = Scenarios.All.ToDictionary(s => s.Name, StringComparer.Ordinal);
if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine("usage: spiro-bench SCENARIO [flags]   (./build.sh bench SCENARIO [flags])");
    foreach (var known in Scenarios.All)
    {
        Console.Error.WriteLine($"  {known.Name,-8} {known.Description}");
    }

    return 2;
}

return await scenario.RunAsync(new BenchArgs(args[1..]));
