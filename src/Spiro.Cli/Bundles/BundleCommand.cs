using System.CommandLine;

namespace Spiro.Cli.Bundles;

/// <summary><c>spiro bundle ...</c>: work with deploy bundles without touching the store.</summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var command = new Command("bundle", "Validate deploy bundles.");
        command.Subcommands.Add(BundleCheckCommand.Create());
        return command;
    }
}
