using System.CommandLine;

namespace Spiro.Cli.Salt;

/// <summary><c>spiro salt ...</c>: integration with the salt-master.</summary>
internal static class SaltCommand
{
    public static Command Create()
    {
        var command = new Command("salt", "Install the Salt adapter (fileserver, runner, engine) into a salt-master.");
        command.Subcommands.Add(SaltInstallCommand.Create());
        return command;
    }
}
