using System.CommandLine;
using Spiro.Cli.Releases;

namespace Spiro.Cli.Projects;

/// <summary><c>spiro project list [--json]</c>: every project with a live saltenv or settings.</summary>
internal static class ProjectListCommand
{
    public static Command Create()
    {
        var data = StoreCli.DataOption();
        var json = StoreCli.JsonOption();
        var command = new Command("list", "List projects (with a live saltenv or settings) and their allowed targets.") { data, json };
        command.SetAction(parse =>
        {
            var store = StoreCli.Open(parse, data, create: false, out var exitCode);
            if (store is null)
            {
                return exitCode;
            }

            var names = store.Deployments().Select(d => d.SaltEnv.Project)
                .Concat(store.Projects.List().Select(p => p.Project))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            var statuses = names.Select(store.ProjectStatus).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                ReleaseJson.WriteArray(output, statuses, ProjectJson.Status);
            }
            else
            {
                TextTable.Write(
                    output,
                    ["PROJECT", "ALLOW TARGETS", "SALTENVS", "TOPS NOT READ"],
                    statuses.Select(s => (IReadOnlyList<string>)[s.Policy.Project, s.Policy.AllowTargets ?? "-", s.SaltEnvs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), s.SaltEnvs.Count(e => !e.TopRead).ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
