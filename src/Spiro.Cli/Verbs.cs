using System.CommandLine;

namespace Spiro.Cli;

/// <summary>The top-level verbs of <c>spiro</c>, one line each so parallel work merges cleanly.</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return Releases.PublishCommand.Create();
        yield return Releases.DeploymentsCommand.Create();
        yield return Releases.ReleasesCommand.Create();
        yield return Releases.RollbackCommand.Create();
        yield return Releases.PromoteCommand.Create();
        yield return Releases.DeleteCommand.Create();
        yield return Releases.GcCommand.Create();
        yield return Releases.AuditCommand.Create();
        yield return Releases.HistoryCommand.Create();
        yield return Releases.DeploysCommand.Create();
        yield return Releases.DiffCommand.Create();
        yield return Tokens.TokenCommand.Create();
        yield return Projects.ProjectCommand.Create();
        yield return Server.ServeCommand.Create();
        yield return Salt.SaltCommand.Create();
        yield return Bundles.BundleCommand.Create();
        yield return Highstate.QueryHighstateCommand.Create();
        yield return TopFiles.TopCommand.Create();
        yield return Doctor.DoctorCommand.Create();
        yield return Cluster.ClusterCommand.Create();
    }
}
