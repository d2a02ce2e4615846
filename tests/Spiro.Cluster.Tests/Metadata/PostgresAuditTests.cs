using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Core.Metadata;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Metadata;

/// <summary>The hash-chained audit log on PostgreSQL, written by several masters at once.</summary>
[Collection(ClusterServicesFixture.Collection)]
public sealed class PostgresAuditTests(ClusterServicesFixture services)
{
    [ClusterFact]
    public async Task Append_FromFourMastersAtOnce_KeepsOneUnbrokenChain()
    {
        var connection = await services.Postgres.CreateDatabaseAsync();
        var masters = Enumerable.Range(0, 4).Select(_ => PostgresMetadataDatabase.OpenDatabase(connection)).ToList();
        try
        {
            await Task.WhenAll(masters.Select((database, index) => Task.Run(() =>
            {
                var log = new AuditLog(database, TimeProvider.System);
                for (var i = 0; i < 25; i++)
                {
                    log.Append($"master-{index}", "deploy", "foo/dev", "ok", $"release {i}");
                }
            })));

            var audit = new AuditLog(masters[0], TimeProvider.System);
            Assert.Null(audit.Verify());
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), audit.Read().Select(row => row.Seq));
        }
        finally
        {
            masters.ForEach(database => database.Dispose());
        }
    }

    [ClusterFact]
    public async Task Verify_WithARowEditedInPostgres_NamesTheRow()
    {
        using var database = PostgresMetadataDatabase.OpenDatabase(await services.Postgres.CreateDatabaseAsync());
        var log = new AuditLog(database, TimeProvider.System);
        log.Append("token:ci", "deploy", "foo/dev", "ok", "release r1");
        log.Append("token:ci", "deploy", "foo/dev", "refused", "wrong project");
        log.Append("token:ci", "deploy", "foo/dev", "ok", "release r2");

        using (var connection = (NpgsqlConnection)database.Connect())
        using (var edit = new NpgsqlCommand("UPDATE audit_log SET outcome = 'ok' WHERE seq = 2", connection))
        {
            edit.ExecuteNonQuery();
        }

        Assert.Equal("row 2: content does not match its hash (tampered)", log.Verify());
    }

    [ClusterFact]
    public async Task Open_ByThreeMastersAtOnce_MigratesOnceToTheLatestSchema()
    {
        var connection = await services.Postgres.CreateDatabaseAsync();

        var opened = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => PostgresMetadataDatabase.OpenDatabase(connection))));

        Assert.All(opened, database => Assert.Equal(PostgresMetadataDatabase.CurrentPostgresSchemaVersion, database.SchemaVersion()));
        using (var check = (NpgsqlConnection)opened[0].Connect())
        using (var count = new NpgsqlCommand("SELECT COUNT(*) FROM schema_version", check))
        {
            Assert.Equal((long)PostgresMetadataDatabase.CurrentPostgresSchemaVersion, (long)count.ExecuteScalar()!);
        }

        foreach (var database in opened)
        {
            database.Dispose();
        }
    }

    [ClusterFact]
    public void Open_WithNoServerOnThePort_ThrowsAnNpgsqlErrorNamingTheConnection()
    {
        var port = Spiro.Testing.LoopbackPorts.Free(1)[0];

        var error = Assert.ThrowsAny<NpgsqlException>(() => PostgresMetadataDatabase.OpenDatabase($"Host=127.0.0.1;Port={port};Username=spiro;Database=none;Timeout=2"));

        Assert.Contains("127.0.0.1", error.Message + error.InnerException?.Message, StringComparison.Ordinal);
    }
}
