using System.CommandLine;

namespace Spiro.Cli.Projects;

/// <summary><c>spiro project ...</c>: per-project settings an admin sets (target confinement).</summary>
internal static class ProjectCommand
{
    public static Command Create()
    {
        var command = new Command("project", "Show and set per-project settings: the targets a project's top files may select.");
        command.Subcommands.Add(ProjectSetCommand.Create());
        command.Subcommands.Add(ProjectShowCommand.Create());
        command.Subcommands.Add(ProjectListCommand.Create());
        return command;
    }
}
