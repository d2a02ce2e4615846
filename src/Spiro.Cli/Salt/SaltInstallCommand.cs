using System.CommandLine;
using Spiro.Core.Releases;

namespace Spiro.Cli.Salt;

/// <summary>
/// <c>spiro salt install --dir DIR</c>: copies the adapter into DIR/fileserver, DIR/runners,
/// DIR/engines and DIR/tops and prints the master config to add; <c>--print-config</c> only prints
/// it, <c>--scale</c> prints the config of scale mode.
/// </summary>
internal static class SaltInstallCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir", "-d")
        {
            Description = "A salt-master module_dirs directory, e.g. /srv/salt-modules.",
            Required = true,
        };
        var data = new Option<string>("--data")
        {
            Description = "The SpiroFS data directory (spiro_data). Default: $SPIRO_DATA or " + StoreOptions.DefaultDataDirectory + ".",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SPIRO_DATA") is { Length: > 0 } env ? env : StoreOptions.DefaultDataDirectory,
        };
        var port = new Option<int>("--port") { Description = "The deploy server's port.", DefaultValueFactory = _ => 4510 };
        var printOnly = new Option<bool>("--print-config") { Description = "Only print the master config; copy nothing." };
        var scale = new Option<bool>("--scale")
        {
            Description = "Print the config for scale mode: top data for all saltenvs in one master_tops call, so highstates cost the same with 1,000 saltenvs as with one (docs/salt.md).",
        };
        var command = new Command("install", "Copy the Salt adapter into a module_dirs directory and print the master config to add.")
        {
            dir, data, port, printOnly, scale,
        };
        command.SetAction(parse =>
        {
            var moduleDirectory = Path.GetFullPath(parse.GetValue(dir)!);
            var output = parse.InvocationConfiguration.Output;
            if (!parse.GetValue(printOnly))
            {
                foreach (var path in AdapterInstaller.Install(moduleDirectory))
                {
                    parse.InvocationConfiguration.Error.WriteLine($"installed {path}");
                }
            }

            output.Write(MasterConfig.Render(moduleDirectory, Path.GetFullPath(parse.GetValue(data)!), SpiroExecutable(), parse.GetValue(port), parse.GetValue(scale)));
            return ExitCodes.Ok;
        });
        return command;
    }

    // The engine and runner run this very executable unless the master says otherwise;
    // `dotnet spiro.dll` (tests, dev builds) has no single path worth printing.
    private static string? SpiroExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "spiro" ? path : null;
}
