using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Metadata;
using Spiro.Core.Releases;

namespace Spiro.Cli.Cluster;

/// <summary>What a store verb works on: its data directory and, in a cluster, the shared PostgreSQL and bucket.</summary>
internal sealed record StoreTarget(string Data, ClusterStorage? Cluster)
{
    /// <summary>The <c>--config</c> file's settings as <c>spiro serve</c> reads them; null without <c>--config</c>.</summary>
    public Spiro.Server.Options.ServerOptions? Settings { get; init; }

    /// <summary>
    /// In a cluster, why this master's data directory does not serve what the cluster's pointer of
    /// <paramref name="saltEnv"/> names (it has not followed yet); null when it does, or without a cluster.
    /// </summary>
    public string? Behind(Core.Names.SaltEnvName saltEnv, string? served)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (Cluster is null)
        {
            return null;
        }

        var pointer = new ClusterReleases(Cluster.Metadata, Cluster.Content, Cluster.Options.Name).CurrentPointer(saltEnv);
        return string.Equals(pointer?.ReleaseId, served, StringComparison.Ordinal)
            ? null
            : $"this master ({Cluster.Options.Name}) serves {(served is null ? "nothing" : "release " + served)} in {saltEnv} but the cluster's pointer names "
                + $"{(pointer?.ReleaseId is { } id ? "release " + id : "nothing")}: it has not followed yet (spiro cluster status shows why)";
    }

    /// <summary>The store of <see cref="Data"/>; in a cluster its metadata and every change go through the cluster (docs/cluster.md).</summary>
    public ReleaseStore OpenStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ReleaseStore.Open(
            Cluster is null ? options : options with { Metadata = Cluster.Metadata, Sharing = new ClusterReleases(Cluster.Metadata, Cluster.Content, Cluster.Options.Name) },
            TimeProvider.System);
    }

    /// <summary>The metadata: PostgreSQL in a cluster, else the data directory's <c>spiro.db</c>.</summary>
    public MetadataDatabase OpenMetadata()
    {
        if (Cluster is not null)
        {
            return Cluster.Metadata;
        }

        Directory.CreateDirectory(Data);
        return MetadataDatabase.Open(Core.Releases.Layout.DataDirectoryNames.DatabaseIn(Data));
    }
}
