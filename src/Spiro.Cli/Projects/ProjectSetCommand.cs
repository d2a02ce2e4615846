using System.CommandLine;
using Spiro.Cli.Releases;

namespace Spiro.Cli.Projects;

/// <summary><c>spiro project set P --allow-targets EXPR | --clear</c>.</summary>
internal static class ProjectSetCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The project, e.g. myproject." };
        var allow = new Option<string?>("--allow-targets")
        {
            Description = "A Salt compound expression (e.g. 'G@role:web' or 'L@m1,m2'): every top file of the project then selects only minions inside it, whatever its spirotop.sls says, and a bundle's own top.sls is refused.",
        };
        var clear = new Option<bool>("--clear") { Description = "Remove the confinement: the project's top files select any minion again." };
        var data = StoreCli.DataOption();
        var command = new Command("set", "Confine a project's top files to the minions inside a compound expression (docs/security.md).") { project, allow, clear, data };
        command.SetAction(parse =>
        {
            var expression = parse.GetValue(allow);
            if ((expression is null) == !parse.GetValue(clear))
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, "error: give either --allow-targets EXPR or --clear");
            }

            var store = StoreCli.Open(parse, data, create: true, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var name = parse.GetValue(project)!;
            var refusal = store.Projects.SetAllowTargets(name, expression, $"cli:{Environment.UserName}");
            if (refusal is not null)
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, "error: " + refusal);
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine(expression is null
                ? $"project {name}: no confinement; its top files select any minion"
                : $"project {name}: top files select only minions inside '{expression}'");
            foreach (var stale in store.ProjectStatus(name).SaltEnvs.Where(s => !s.TopRead))
            {
                output.WriteLine($"  {stale.SaltEnv}: release {stale.LiveRelease} was compiled without it; Salt reads no top data of {stale.SaltEnv} until it is published again");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
