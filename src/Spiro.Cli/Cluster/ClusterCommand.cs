using System.CommandLine;

namespace Spiro.Cli.Cluster;

/// <summary><c>spiro cluster status|import|repair|verify</c>: the shared PostgreSQL and bucket of a <c>cluster:</c> config (docs/cluster.md).</summary>
internal static class ClusterCommand
{
    public static Command Create() =>
        new("cluster", "The masters and shared content of the cluster: settings section of a server config file (docs/cluster.md).")
        {
            ClusterStatusCommand.Create(),
            ClusterImportCommand.Create(),
            ClusterRepairCommand.Create(),
            ClusterVerifyCommand.Create(),
        };

    /// <summary><c>--config FILE</c>, required: the server config file with the <c>cluster:</c> section.</summary>
    public static Option<string> ConfigOption() => new("--config")
    {
        Description = "The server config file (spiro serve --config) whose cluster: section names the database and bucket.",
        Required = true,
    };
}
