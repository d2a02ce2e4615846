using Spiro.Bench;

// ./build.sh bench SCENARIO [--quick]; each scenario prints its measurements and ratios vs a baseline measured in the same run.
var scenario = args.FirstOrDefault() ?? "help";
var quick = args.Contains("--quick");
switch (scenario)
{
    case "server":
        return await ServerBench.RunAsync(quick);
    default:
        Console.WriteLine("usage: ./build.sh bench server [--quick]");
        Console.WriteLine("  server   end-to-end deploys over loopback (HTTP, HTTPS) vs tar -x, server peak RSS during a 2 GiB upload,");
        Console.WriteLine("           50 concurrent deploys to different saltenvs vs the same 50 one after another");
        return scenario == "help" ? 0 : 2;
}
