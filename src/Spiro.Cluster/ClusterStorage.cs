using Amazon.Runtime;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;

namespace Spiro.Cluster;

/// <summary>
/// The shared parts a master uses in cluster mode, opened and checked at start-up so a bad
/// setting or an unreachable service stops the server with a message naming it, before it serves.
/// </summary>
public sealed class ClusterStorage : IDisposable
{
    private ClusterStorage(ClusterOptions options, PostgresMetadataDatabase metadata, S3ContentStore content)
    {
        Options = options;
        Metadata = metadata;
        Content = content;
    }

    /// <summary>The settings.</summary>
    public ClusterOptions Options { get; }

    /// <summary>The shared metadata.</summary>
    public PostgresMetadataDatabase Metadata { get; }

    /// <summary>The shared content.</summary>
    public S3ContentStore Content { get; }

    /// <summary>
    /// Connects to both services, migrates the schema, makes the bucket and (a server, <paramref name="register"/>)
    /// registers this master.
    /// Throws <see cref="ClusterUnavailableException"/> naming the setting and the service's answer.
    /// </summary>
    public static async Task<ClusterStorage> OpenAsync(ClusterOptions options, string dataDirectory, bool register, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        PostgresMetadataDatabase metadata;
        try
        {
            metadata = PostgresMetadataDatabase.OpenDatabase(options.Database);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            throw new ClusterUnavailableException($"cluster.database: cannot use PostgreSQL: {exception.Message}", exception);
        }

        var content = new S3ContentStore(options.Objects);
        try
        {
            await content.EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
            if (register)
            {
                new MasterRegistry(metadata).Register(options.Name, Environment.MachineName, Path.GetFullPath(dataDirectory));
            }
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            content.Dispose();
            metadata.Dispose();
            throw new ClusterUnavailableException($"cluster.objects: cannot use the bucket {options.Objects.Bucket}: {exception.Message}", exception);
        }
        catch
        {
            content.Dispose();
            metadata.Dispose();
            throw;
        }

        return new ClusterStorage(options, metadata, content);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Content.Dispose();
        Metadata.Dispose();
    }
}
