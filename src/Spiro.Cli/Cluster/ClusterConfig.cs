using System.CommandLine;
using Spiro.Cluster;
using Spiro.Server.Options;

namespace Spiro.Cli.Cluster;

/// <summary>Reads the <c>cluster:</c> section of a server config file for the cluster verbs, and opens the shared services.</summary>
internal static class ClusterConfig
{
    /// <summary>The server options of <paramref name="file"/> with a valid cluster section, or null after printing why not.</summary>
    public static ServerOptions? Read(ParseResult parse, string file)
    {
        var (options, errors) = ServerSettings.LoadFile(file);
        if (errors.Count == 0 && options.Cluster is null)
        {
            errors = [$"cluster: '{file}' has no cluster: section (docs/cluster.md)"];
        }

        if (errors.Count > 0)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: invalid configuration: {string.Join("; ", errors)}");
            return null;
        }

        return options;
    }

    /// <summary>Opens the database and bucket; null after printing which service failed.</summary>
    public static async Task<ClusterStorage?> OpenAsync(ParseResult parse, ServerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await ClusterStorage.OpenAsync(options.Cluster!, options.Data, register: false, cancellationToken);
        }
        catch (ClusterUnavailableException exception)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {exception.Message}");
            return null;
        }
    }
}
