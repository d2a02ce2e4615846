using Spiro.Fuzz;

// spiro-fuzz yaml|tar SEED RUNS: mutates a seed corpus RUNS times with a fixed seed and feeds every
// input to the real reader. Exit 0: every input ended in a result (accepted or refused); exit 1:
// an input raised an exception, printed with its seed and run so it can be replayed.
if (args.Length != 3 || !int.TryParse(args[1], out var seed) || !int.TryParse(args[2], out var runs))
{
    await Console.Error.WriteLineAsync("usage: Spiro.Fuzz yaml|tar SEED RUNS");
    return 2;
}

var random = new Random(seed);
return args[0] switch
{
    "yaml" => YamlFuzz.Run(random, runs),
    "tar" => await TarFuzz.RunAsync(random, runs),
    _ => 2,
};
