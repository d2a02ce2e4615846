using Npgsql;
using Spiro.Cluster.Metadata;

namespace Spiro.Cluster;

/// <summary>
/// The masters that use one database (table <c>cluster_masters</c>): each registers at start,
/// says it is alive every few seconds while it runs (<see cref="Heartbeat"/>) and that it stopped
/// when it stops. A deploy waits for the masters alive within <see cref="LiveWindow"/>.
/// </summary>
public sealed class MasterRegistry(PostgresMetadataDatabase database)
{
    /// <summary>How recently a master must have said it is alive to count as live (a few missed heartbeats).</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromSeconds(15);

    /// <summary>How often a running master says it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>Records <paramref name="name"/> as started now; refuses when a live master of that name runs elsewhere.</summary>
    public void Register(string name, string host, string dataDirectory)
    {
        using var connection = database.Source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockTable = new NpgsqlCommand("LOCK TABLE cluster_masters IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        var now = Now(connection, transaction);
        if (Masters(connection, transaction).FirstOrDefault(m => m.Name == name) is { } same
            && (same.Host != host || same.Data != dataDirectory) && same.LiveAt(now, LiveWindow))
        {
            throw new ClusterUnavailableException(
                $"cluster.name: master '{name}' is already running (host {same.Host}, data {same.Data}); give every master its own name");
        }

        using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO cluster_masters (name, host, data, started_at, seen_at) VALUES (@name, @host, @data, now(), now())
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, data = excluded.data, started_at = excluded.started_at, seen_at = excluded.seen_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("name", name);
            upsert.Parameters.AddWithValue("host", host);
            upsert.Parameters.AddWithValue("data", dataDirectory);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Says <paramref name="name"/> is alive now.</summary>
    public void Heartbeat(string name) => SetSeen(name, "now()");

    /// <summary>Says <paramref name="name"/> stopped: deploys no longer wait for it.</summary>
    public void Stopped(string name) => SetSeen(name, "NULL");

    /// <summary>Every registered master, by name.</summary>
    public IReadOnlyList<MasterRecord> Masters()
    {
        using var connection = database.Source.OpenConnection();
        return Masters(connection, null);
    }

    /// <summary>The database's clock (the masters' clocks may differ; liveness is judged on one).</summary>
    public DateTimeOffset Now()
    {
        using var connection = database.Source.OpenConnection();
        return Now(connection, null);
    }

    private void SetSeen(string name, string value)
    {
        using var connection = database.Source.OpenConnection();
        using var command = new NpgsqlCommand($"UPDATE cluster_masters SET seen_at = {value} WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Now(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand("SELECT now()", connection, transaction);
        return command.ExecuteScalar() is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : throw new InvalidDataException("PostgreSQL gave no time");
    }

    private static List<MasterRecord> Masters(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand("SELECT name, host, data, started_at, seen_at FROM cluster_masters ORDER BY name", connection, transaction);
        using var reader = command.ExecuteReader();
        var masters = new List<MasterRecord>();
        while (reader.Read())
        {
            masters.Add(new MasterRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return masters;
    }
}
