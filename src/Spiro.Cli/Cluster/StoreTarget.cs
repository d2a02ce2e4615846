using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Core.Metadata;
using Spiro.Core.Releases;

namespace Spiro.Cli.Cluster;

/// <summary>What a store verb works on: its data directory and, in a cluster, the shared PostgreSQL and bucket.</summary>
internal sealed record StoreTarget(string Data, ClusterStorage? Cluster)
{
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
