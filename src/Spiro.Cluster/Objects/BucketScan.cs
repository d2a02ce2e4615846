using System.Collections.Concurrent;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cluster.Objects;

/// <summary>
/// Reads every object the cluster's manifests name or <c>cluster_objects</c> records for this
/// bucket, and checks it hashes to its key, as a follower would before it serves it
/// (docs/cluster.md, <c>spiro cluster verify</c>), so a missing or damaged object is found before
/// a master needs it (a recorded one no manifest names would otherwise be trusted by the next
/// deploy of it unchecked). A missing key is also struck from <c>cluster_objects</c>, so the next
/// deploy of that content uploads it again.
/// </summary>
public static class BucketScan
{
    /// <summary>Checks every object; PostgreSQL and S3 errors (other than a missing or damaged object) reach the caller.</summary>
    public static async Task<ScanOutcome> RunAsync(PostgresMetadataDatabase database, S3ContentStore bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(bucket);
        var recorded = new RecordedObjects(database, bucket);
        var (named, manifests) = await NamedKeysAsync(database, cancellationToken).ConfigureAwait(false);
        var keys = named.Union(await recorded.AllAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal).ToList();
        var missing = new ConcurrentBag<string>();
        var corrupt = new ConcurrentBag<string>();
        long bytes = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = bucket.Parallelism, CancellationToken = cancellationToken }, async (sha, token) =>
        {
            try
            {
                if (await bucket.CheckAsync(sha, token).ConfigureAwait(false) is { } size)
                {
                    Interlocked.Add(ref bytes, size);
                }
                else
                {
                    missing.Add(sha);
                }
            }
            catch (InvalidDataException)
            {
                corrupt.Add(sha);
            }
        }).ConfigureAwait(false);

        var bad = missing.Concat(corrupt).ToArray();
        var naming = bad.Length == 0 ? [] : await ReleasesNamingAsync(database, bad, cancellationToken).ConfigureAwait(false);
        await recorded.ForgetAsync([.. missing], cancellationToken).ConfigureAwait(false);
        var problems = missing.Select(sha => new ScanProblem(sha, Missing: true, naming.GetValueOrDefault(sha, [])))
            .Concat(corrupt.Select(sha => new ScanProblem(sha, Missing: false, naming.GetValueOrDefault(sha, []))))
            .OrderBy(p => p.Sha256, StringComparer.Ordinal)
            .ToList();
        return new ScanOutcome(keys.Count, manifests, Interlocked.Read(ref bytes), problems);
    }

    // Every content key the manifests name (docs/storage.md: entries[].sha256), and how many manifests there are.
    private static async Task<(List<string> Keys, int Manifests)> NamedKeysAsync(PostgresMetadataDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM cluster_manifests", connection);
        var manifests = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT e->>'sha256' FROM cluster_manifests m, jsonb_array_elements(m.manifest::jsonb->'entries') e
            WHERE e->>'sha256' IS NOT NULL
            """, connection);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A key that is not a sha256 could not name an object (and no publish writes one).
            if (reader.GetString(0) is var sha && ContentKey.IsValid(sha))
            {
                keys.Add(sha);
            }
        }

        return (keys, manifests);
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> ReleasesNamingAsync(PostgresMetadataDatabase database, string[] keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            SELECT e->>'sha256', array_agg(DISTINCT m.saltenv || ' release ' || m.release_id) FROM cluster_manifests m, jsonb_array_elements(m.manifest::jsonb->'entries') e
            WHERE e->>'sha256' = ANY(@keys) GROUP BY 1
            """, connection);
        command.Parameters.AddWithValue("keys", keys);
        var naming = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            naming[reader.GetString(0)] = [.. reader.GetFieldValue<string[]>(1).Order(StringComparer.Ordinal)];
        }

        return naming;
    }
}
