using System.CommandLine;
using Spiro.Cli.Releases;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Projects;

/// <summary><c>spiro project show P [--json]</c>: the project's settings and its live saltenvs.</summary>
internal static class ProjectShowCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The project, e.g. myproject." };
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("show", "Show a project's allowed targets and whether Salt reads each live saltenv's top file.") { project, data, json };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(project)!;
            if (Spiro.Core.Names.SaltEnvName.ExplainInvalidPart("project", name) is { } bad)
            {
                return StoreCli.Fail(parse, ExitCodes.Usage, "error: " + bad);
            }

            var store = StoreCli.Open(parse, data, create: false, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var status = store.ProjectStatus(name);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                ReleaseJson.WriteObject(output, writer => ProjectJson.Status(writer, status));
                return ExitCodes.Ok;
            }

            output.WriteLine($"project:        {name}");
            output.WriteLine($"allow targets:  {status.Policy.AllowTargets ?? "(none: any minion)"}");
            if (status.Policy.SetBy is { } by)
            {
                output.WriteLine($"set by:         {by}{(status.Policy.SetAt is { } at ? " at " + WireTime.Format(at) : "")}");
            }

            TextTable.Write(
                output,
                ["SALTENV", "LIVE RELEASE", "TOP READ BY SALT"],
                status.SaltEnvs.Select(s => (IReadOnlyList<string>)[s.SaltEnv.ToString(), s.LiveRelease, s.TopRead ? "yes" : "no: compiled without the allowed targets, publish again"]));
            return ExitCodes.Ok;
        });
        return command;
    }
}
