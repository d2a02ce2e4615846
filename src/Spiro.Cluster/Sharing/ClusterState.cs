using Npgsql;
using Spiro.Cluster.Metadata;

namespace Spiro.Cluster.Sharing;

/// <summary>The cluster's pointer of one saltenv: what it names (null: deleted), its version, when and by which master it last moved.</summary>
public sealed record PointerState(string SaltEnv, string? ReleaseId, long Version, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>
/// What one master serves in one saltenv as it last recorded it, and why it could not follow the
/// pointer since (null: it could), with the pointer version that failure was about.
/// </summary>
public sealed record AppliedState(string Master, string SaltEnv, string? ReleaseId, long Version, DateTimeOffset AppliedAt, string? Error, long? ErrorVersion = null)
{
    /// <summary>
    /// The error when it is about pointer version <paramref name="version"/> or a later one; null
    /// when it was about an earlier change (it says nothing of this one yet). An error recorded
    /// without its version (before schema step 5) is shown.
    /// </summary>
    public string? ErrorAbout(long version) => ErrorVersion is { } about && about < version ? null : Error;
}

/// <summary>Read side of cluster mode, for the deploy waiting on every master, <c>/healthz</c> and <c>spiro cluster status</c>.</summary>
public sealed class ClusterState(PostgresMetadataDatabase database)
{
    /// <summary>Every saltenv's pointer, by name.</summary>
    public IReadOnlyList<PointerState> Pointers()
    {
        using var connection = database.Source.OpenConnection();
        using var command = new NpgsqlCommand("SELECT saltenv, release_id, version, changed_at, changed_by FROM cluster_pointers ORDER BY saltenv", connection);
        using var reader = command.ExecuteReader();
        var rows = new List<PointerState>();
        while (reader.Read())
        {
            rows.Add(new PointerState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
        }

        return rows;
    }

    /// <summary>What every master recorded, by master then saltenv; only <paramref name="saltEnv"/>'s when given.</summary>
    public IReadOnlyList<AppliedState> Applied(string? saltEnv = null)
    {
        using var connection = database.Source.OpenConnection();
        using var command = new NpgsqlCommand(
            "SELECT master, saltenv, release_id, version, applied_at, error, error_version FROM cluster_applied WHERE @saltenv::text IS NULL OR saltenv = @saltenv ORDER BY master, saltenv", connection);
        command.Parameters.Add(new NpgsqlParameter("saltenv", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)saltEnv ?? DBNull.Value });
        using var reader = command.ExecuteReader();
        var rows = new List<AppliedState>();
        while (reader.Read())
        {
            rows.Add(new AppliedState(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6)));
        }

        return rows;
    }

    /// <summary>The version of <paramref name="saltEnv"/>'s pointer while it names <paramref name="releaseId"/> (null: deleted); null once it moved on.</summary>
    public long? VersionOf(string saltEnv, string? releaseId)
    {
        using var connection = database.Source.OpenConnection();
        using var command = new NpgsqlCommand("SELECT version FROM cluster_pointers WHERE saltenv = @saltenv AND release_id IS NOT DISTINCT FROM @release", connection);
        command.Parameters.AddWithValue("saltenv", saltEnv);
        command.Parameters.Add(new NpgsqlParameter("release", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)releaseId ?? DBNull.Value });
        return command.ExecuteScalar() is long version ? version : null;
    }
}
