using System.CommandLine;
using System.Reflection;

namespace Spiro.Cli;

/// <summary><c>spiro version</c>: prints the version, for scripts and bug reports.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the spiro version.");
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine(version);
            return ExitCodes.Ok;
        });
        return command;
    }
}
