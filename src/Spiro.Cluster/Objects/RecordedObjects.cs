using Npgsql;
using Spiro.Cluster.Metadata;

namespace Spiro.Cluster.Objects;

/// <summary>
/// The table <c>cluster_objects</c>: the contents one store (<see cref="S3ContentStore.Identity"/>)
/// is known to hold, so a deploy sends no request for them (<see cref="Sharing.ClusterUpload"/>).
/// A row is a hint, not a proof: whoever finds its object missing (a follower's fetch,
/// <see cref="BucketScan"/>) strikes it, so the next deploy of that content uploads it again.
/// </summary>
internal sealed class RecordedObjects(PostgresMetadataDatabase database, S3ContentStore store)
{
    /// <summary>Which of <paramref name="shas"/> are recorded for this store.</summary>
    public async Task<HashSet<string>> KnownAsync(string[] shas, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        await RunAsync("SELECT sha256 FROM cluster_objects WHERE store = @store AND sha256 = ANY(@shas)", shas, command => ReadAsync(command, known, cancellationToken), cancellationToken).ConfigureAwait(false);
        return known;
    }

    /// <summary>Records <paramref name="shas"/> as held by this store.</summary>
    public Task RecordAsync(string[] shas, CancellationToken cancellationToken) => shas.Length == 0 ? Task.CompletedTask : RunAsync(
        "INSERT INTO cluster_objects (store, sha256) SELECT @store, unnest(@shas) ON CONFLICT (store, sha256) DO NOTHING", shas,
        async command => await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>Strikes <paramref name="shas"/>: this store was found not to hold them.</summary>
    public Task ForgetAsync(string[] shas, CancellationToken cancellationToken) => shas.Length == 0 ? Task.CompletedTask : RunAsync(
        "DELETE FROM cluster_objects WHERE store = @store AND sha256 = ANY(@shas)", shas,
        async command => await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>Every content recorded for this store.</summary>
    public async Task<List<string>> AllAsync(CancellationToken cancellationToken)
    {
        var all = new List<string>();
        await RunAsync("SELECT sha256 FROM cluster_objects WHERE store = @store", shas: null, command => ReadAsync(command, all, cancellationToken), cancellationToken).ConfigureAwait(false);
        return all;
    }

    private static async Task ReadAsync(NpgsqlCommand command, ICollection<string> into, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into.Add(reader.GetString(0));
        }
    }

    private async Task RunAsync(string sql, string[]? shas, Func<NpgsqlCommand, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("store", store.Identity);
            if (shas is not null)
            {
                command.Parameters.AddWithValue("shas", shas);
            }
            await run(command).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw new ClusterUnavailableException($"cluster.database: cannot use PostgreSQL: {exception.Message}", exception);
        }
    }
}
