using Npgsql;
using Spiro.Cluster.Metadata;

namespace Spiro.Cluster;

/// <summary>
/// The masters that use one database (table <c>cluster_masters</c>). Only one master may use it
/// for now: the coordination that makes a deploy live on every master (issue 17, cluster mode)
/// is not built, so a second master would serve releases its data directory does not have.
/// </summary>
public sealed class MasterRegistry(PostgresMetadataDatabase database)
{
    /// <summary>Records <paramref name="name"/> as started now; refuses when another master is registered.</summary>
    public void Register(string name, string host, string dataDirectory)
    {
        using var connection = database.Source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockTable = new NpgsqlCommand("LOCK TABLE cluster_masters IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        var others = Masters(connection, transaction).Where(master => master.Name != name).ToList();
        if (others.Count > 0)
        {
            var other = others[0];
            throw new ClusterUnavailableException(
                $"cluster.name: master '{other.Name}' (host {other.Host}, data {other.Data}) already uses this database; " +
                "several masters on one database need cluster mode, which this version does not have yet (docs/cluster.md)");
        }

        using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO cluster_masters (name, host, data, started_at) VALUES (@name, @host, @data, now())
            ON CONFLICT (name) DO UPDATE SET host = excluded.host, data = excluded.data, started_at = excluded.started_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("name", name);
            upsert.Parameters.AddWithValue("host", host);
            upsert.Parameters.AddWithValue("data", dataDirectory);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Every registered master, by name.</summary>
    public IReadOnlyList<MasterRecord> Masters()
    {
        using var connection = database.Source.OpenConnection();
        return Masters(connection, null);
    }

    private static List<MasterRecord> Masters(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand("SELECT name, host, data, started_at FROM cluster_masters ORDER BY name", connection, transaction);
        using var reader = command.ExecuteReader();
        var masters = new List<MasterRecord>();
        while (reader.Read())
        {
            masters.Add(new MasterRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return masters;
    }
}
