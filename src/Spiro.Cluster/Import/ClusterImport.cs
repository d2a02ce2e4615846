using Amazon.Runtime;
using Npgsql;
using Spiro.Core.Metadata;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Import;

/// <summary>
/// Moves a single master's store into an empty cluster (docs/cluster.md "Moving a single master
/// into a cluster"): the objects into the bucket first, then every row of <c>spiro.db</c>, each kept
/// release's manifest and each live saltenv's pointer into PostgreSQL in one transaction, which is
/// refused when any object a manifest names is not in the bucket. The audit chain is copied as it
/// is (same rows, same hashes) and one row recording the import is appended to it.
/// </summary>
public sealed class ClusterImport(ClusterStorage cluster, TimeProvider time)
{
    /// <summary>The audit action of the row that records an import; its target is the imported chain's head.</summary>
    public const string AuditAction = "cluster.import";

    private const int Parallel = 8;

    /// <summary>Imports <paramref name="dataDirectory"/> (its <c>spiro.db</c>, <c>objects/</c>, <c>envs/</c>, <c>manifests/</c>); changes nothing when <paramref name="dryRun"/>.</summary>
    public async Task<ImportOutcome> RunAsync(string dataDirectory, string actor, bool dryRun, CancellationToken cancellationToken)
    {
        var database = DataDirectoryNames.DatabaseIn(dataDirectory);
        SourceTables tables;
        StoreSnapshot snapshot;
        try
        {
            tables = SourceTables.Read(MetadataDatabase.OpenReadOnly(database));
            snapshot = StoreSnapshot.Read(dataDirectory);
        }
        catch (InvalidDataException exception)
        {
            return new ImportOutcome.Refused(exception.Message);
        }

        var (shared, refusal) = ImportRules.Decide(Releases(tables), PendingPlans(tables), snapshot.Live, snapshot.Manifests);
        if (refusal is not null)
        {
            return new ImportOutcome.Refused(refusal);
        }

        var target = new ImportTarget(cluster.Metadata, cluster.Options.Name, time);
        var head = tables.AuditHead;
        try
        {
            if (target.Check(head) is { } state)
            {
                return state;
            }

            var objects = shared.SelectMany(m => m.Objects).Distinct(StringComparer.Ordinal).ToList();
            var (uploaded, present, missing) = await ObjectsAsync(dataDirectory, snapshot, objects, dryRun, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                return new ImportOutcome.Refused(
                    $"{missing.Count} objects the releases name are neither in {cluster.Content.Location} nor in {Path.Combine(dataDirectory, "objects")} "
                    + $"(first: {string.Join(", ", missing.Order(StringComparer.Ordinal).Take(3))}): the single master's objects/ is damaged; nothing was imported");
            }

            var summary = new ImportSummary(
                database, cluster.Metadata.Location,
                tables.Tables.ToDictionary(t => t.Key, t => t.Value.Rows.Count, StringComparer.Ordinal),
                snapshot.Live.Select(p => (p.SaltEnv, p.ReleaseId)).ToList(),
                shared.Count, objects.Count, uploaded, present, head.Seq, head.Hash);
            if (dryRun)
            {
                return new ImportOutcome.WouldImport(summary);
            }

            return target.Write(tables, shared, snapshot.Live, summary, actor) ?? new ImportOutcome.Imported(summary);
        }
        catch (NpgsqlException exception)
        {
            throw new ClusterUnavailableException($"cluster.database: the import failed: {exception.Message}; nothing of the metadata was imported (one transaction)", exception);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new ClusterUnavailableException($"cluster.objects: the import failed: {exception.Message}; nothing of the metadata was imported", exception);
        }
    }

    // Objects first, metadata last: nothing the transaction records may name an object the bucket
    // lacks. A dry run uploads nothing; an object it would upload from objects/ is not missing.
    private async Task<(int Uploaded, int Present, List<string> Missing)> ObjectsAsync(
        string dataDirectory, StoreSnapshot snapshot, List<string> objects, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            var absent = await AbsentAsync(objects, cancellationToken).ConfigureAwait(false);
            return (absent.Count, objects.Count - absent.Count, absent.Where(sha => !snapshot.HasObject(sha)).ToList());
        }

        var (uploaded, present) = await ObjectImport.RunAsync(Path.Combine(dataDirectory, "objects"), cluster.Content, cancellationToken).ConfigureAwait(false);
        return (uploaded, present, await AbsentAsync(objects, cancellationToken).ConfigureAwait(false));
    }

    private static List<SourceRelease> Releases(SourceTables tables)
    {
        var releases = tables.Tables["releases"];
        return releases.Rows.Select(r => new SourceRelease((string)releases.Value(r, "id")!, (string)releases.Value(r, "saltenv")!, releases.Value(r, "removed_at") is null)).ToList();
    }

    private static HashSet<string> PendingPlans(SourceTables tables)
    {
        var plans = tables.Tables["plans"];
        return plans.Rows.Where(r => plans.Value(r, "applied_at") is null && plans.Value(r, "removed_at") is null)
            .Select(r => (string)plans.Value(r, "id")!).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<List<string>> AbsentAsync(IReadOnlyList<string> objects, CancellationToken cancellationToken)
    {
        var absent = new System.Collections.Concurrent.ConcurrentBag<string>();
        await System.Threading.Tasks.Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (sha, token) =>
        {
            if (!await cluster.Content.ContainsAsync(sha, token).ConfigureAwait(false))
            {
                absent.Add(sha);
            }
        }).ConfigureAwait(false);
        return [.. absent];
    }
}
