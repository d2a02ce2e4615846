using Amazon.Runtime;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Sharing;

/// <summary>
/// A change's upload of its contents to the bucket, before anything refers to them (docs/cluster.md,
/// "Cost"). Contents recorded in <c>cluster_objects</c> are skipped: each was in the bucket when it
/// was recorded, and objects are never removed. The rest are sent: a small one straight away as a
/// conditional PUT (<c>If-None-Match: *</c> refuses a key that exists, so asking first would only
/// add a round trip per new object), a large one only after a HEAD says the bucket lacks it (a
/// refused PUT would have sent its bytes for nothing). Then all of them are recorded.
/// </summary>
internal sealed class ClusterUpload(PostgresMetadataDatabase database, S3ContentStore content)
{
    /// <summary>Contents of at least this many bytes are asked about (HEAD) before they are sent.</summary>
    public const long AskFirstFrom = 1 << 20;

    public async Task RunAsync(IReadOnlyList<SharedContent> objects, CancellationToken cancellationToken)
    {
        var known = await KnownAsync([.. objects.Select(o => o.Sha256)], cancellationToken).ConfigureAwait(false);
        var missing = objects.Where(o => !known.Contains(o.Sha256)).ToList();
        var large = missing.Where(o => new FileInfo(o.File).Length >= AskFirstFrom).ToList();
        var small = missing.Except(large).ToList();
        try
        {
            // Small objects are mostly waiting on the gateway: twice as many in flight as for large ones.
            await Parallel.ForEachAsync(small, Options(Math.Min(2 * content.Parallelism, S3ContentOptions.MaxParallelism), cancellationToken), async (item, token) =>
                await content.PutAsync(item.Sha256, item.File, token).ConfigureAwait(false)).ConfigureAwait(false);
            await Parallel.ForEachAsync(large, Options(content.Parallelism, cancellationToken), async (item, token) =>
            {
                if (!await content.ContainsAsync(item.Sha256, token).ConfigureAwait(false))
                {
                    await content.PutAsync(item.Sha256, item.File, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw new ClusterUnavailableException($"cluster.objects: cannot store the release's content in {content.Location}: {exception.Message}", exception);
        }

        await RecordAsync([.. missing.Select(o => o.Sha256).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
    }

    private static ParallelOptions Options(int parallelism, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };

    private async Task<HashSet<string>> KnownAsync(string[] shas, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        await RunAsync("SELECT sha256 FROM cluster_objects WHERE sha256 = ANY(@shas)", shas, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                known.Add(reader.GetString(0));
            }
        }, cancellationToken).ConfigureAwait(false);
        return known;
    }

    private Task RecordAsync(string[] shas, CancellationToken cancellationToken) =>
        shas.Length == 0 ? Task.CompletedTask : RunAsync(
            "INSERT INTO cluster_objects (sha256) SELECT unnest(@shas) ON CONFLICT (sha256) DO NOTHING", shas,
            async command => await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken);

    private async Task RunAsync(string sql, string[] shas, Func<NpgsqlCommand, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("shas", shas);
            await run(command).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw new ClusterUnavailableException($"cluster.database: cannot use PostgreSQL: {exception.Message}", exception);
        }
    }
}
