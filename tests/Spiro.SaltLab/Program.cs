using Spiro.Testing;
using Spiro.Testing.Salt;

// The test suite's real-Salt lab, kept running for a person to try things on (docs/testing.md).
const string Usage = """
    usage: ./build.sh saltlab up|down|status|restart [--dir DIR]
      up      start a salt-master and minions m1, m2 with the SpiroFS adapter (default dir .cache/saltlab)
      restart restart the master (after editing master/master.d/*.conf), wait until the minions answer
      down    stop every process of the lab (by process group, from the lab's saltlab.json)
      status  say what runs where and how to use it
    """;

var verb = args.FirstOrDefault();
var dirIndex = Array.IndexOf(args, "--dir");
var root = dirIndex >= 0 && dirIndex + 1 < args.Length ? args[dirIndex + 1] : Path.Combine(RepoPaths.Cache, "saltlab");
if (verb is not ("up" or "down" or "status" or "restart") || (args.Length != 1 && args.Length != 3) || (args.Length == 3 && dirIndex != 1))
{
    Console.Error.WriteLine(Usage);
    return verb is "-h" or "--help" ? 0 : 2;
}

if (SaltSource.Current is null)
{
    Console.Error.WriteLine($"saltlab: {SaltSource.Missing}");
    return 3;
}

var existing = SaltLab.Attach(root);
switch (verb)
{
    case "up":
        if (existing is not null && existing.IsRunning("master"))
        {
            Console.WriteLine("saltlab: already running");
            Console.Write(existing.Describe());
            return 0;
        }

        if (existing is not null)
        {
            await existing.StopAsync();
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var lab = await SaltLab.StartAsync(new SaltLabOptions { Root = root, Detached = true });
        Console.WriteLine($"saltlab: up in {lab.StartupTime.TotalSeconds:0.0} s");
        Console.Write(lab.Describe());
        Console.WriteLine("Stop it with: ./build.sh saltlab down");
        return 0;
    case "down":
        if (existing is null)
        {
            Console.WriteLine($"saltlab: nothing runs in {root}");
            return 0;
        }

        await existing.StopAsync();
        Console.WriteLine($"saltlab: stopped (files kept in {root})");
        return 0;
    case "restart":
        if (existing is null || !existing.IsRunning("master"))
        {
            Console.Error.WriteLine("saltlab: not running; start it with ./build.sh saltlab up");
            return 1;
        }

        await existing.RestartMasterAsync();
        Console.WriteLine("saltlab: master restarted");
        return 0;
    default:
        if (existing is null)
        {
            Console.WriteLine($"saltlab: not running (no lab in {root}); start it with ./build.sh saltlab up");
            return 1;
        }

        Console.Write(existing.Describe());
        return existing.IsRunning("master") ? 0 : 1;
}
