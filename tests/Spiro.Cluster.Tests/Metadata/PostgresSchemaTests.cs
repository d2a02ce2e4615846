using Microsoft.Data.Sqlite;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Core.Metadata;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Metadata;

/// <summary>
/// The PostgreSQL schema keeps up with spiro.db's: every table and column a fresh SQLite database
/// has exists in PostgreSQL too, so a repository's SQL runs on both (a SQLite migration without
/// its PostgreSQL step fails here, not in a master).
/// </summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class PostgresSchemaTests(ClusterServicesFixture services)
{
    [ClusterFact]
    public async Task LatestSchema_HasEveryTableAndColumnOfSpiroDb()
    {
        var directory = Directory.CreateTempSubdirectory("spiro-schema-").FullName;
        try
        {
            var sqlitePath = Path.Combine(directory, "spiro.db");
            MetadataDatabase.Open(sqlitePath);
            var sqlite = new SortedSet<string>(StringComparer.Ordinal);
            using (var connection = new SqliteConnection($"Data Source={sqlitePath}"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText =
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p " +
                    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_version'";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    sqlite.Add($"{reader.GetString(0)}.{reader.GetString(1)}");
                }
            }

            SqliteConnection.ClearAllPools();
            using var postgres = PostgresMetadataDatabase.OpenDatabase(await services.Postgres.CreateDatabaseAsync());
            var columns = new SortedSet<string>(StringComparer.Ordinal);
            using (var connection = (NpgsqlConnection)postgres.Connect())
            using (var command = new NpgsqlCommand("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'", connection))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    columns.Add($"{reader.GetString(0)}.{reader.GetString(1)}");
                }
            }

            Assert.NotEmpty(sqlite);
            Assert.Empty(sqlite.Except(columns));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
