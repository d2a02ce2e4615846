using Microsoft.Data.Sqlite;
using Spiro.Core.Metadata;

namespace Spiro.Core.Tests.Metadata;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-audit-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Verify_AfterAppends_ReportsIntactChain()
    {
        var log = NewLog(out _);
        log.Append("token:ci", "deploy", "foo/dev", "ok", "release r1");
        log.Append("cli:root", "rollback", "foo/dev", "ok", "to r0");

        Assert.Null(log.Verify());
        Assert.Equal([1L, 2L], log.Read().Select(e => e.Seq));
    }

    [Fact]
    public void Verify_WithTamperedRow_NamesTheRow()
    {
        var log = NewLog(out var database);
        log.Append("token:ci", "deploy", "foo/dev", "ok", "release r1");
        log.Append("token:ci", "deploy", "foo/dev", "refused", "wrong project");
        log.Append("token:ci", "deploy", "foo/dev", "ok", "release r2");

        Execute(database, "UPDATE audit_log SET outcome = 'ok' WHERE seq = 2");

        Assert.Equal("row 2: content does not match its hash (tampered)", log.Verify());
    }

    [Fact]
    public void Verify_WithDeletedRow_ReportsTheGap()
    {
        var log = NewLog(out var database);
        log.Append("a", "deploy", "foo/dev", "ok", "1");
        log.Append("a", "deploy", "foo/dev", "ok", "2");
        log.Append("a", "deploy", "foo/dev", "ok", "3");

        Execute(database, "DELETE FROM audit_log WHERE seq = 2");

        Assert.Equal("row 2 is missing (found 3)", log.Verify());
    }

    [Fact]
    public void Open_TwiceOnOneFile_KeepsRowsAndSchema()
    {
        var path = Path.Combine(_directory, "spiro.db");
        new AuditLog(MetadataDatabase.Open(path), TimeProvider.System).Append("a", "deploy", "foo/dev", "ok", "multi\nline");

        var reopened = new AuditLog(MetadataDatabase.Open(path), TimeProvider.System);

        var row = Assert.Single(reopened.Read());
        Assert.Equal(@"multi\nline", row.Detail);
        Assert.Null(reopened.Verify());
    }

    private AuditLog NewLog(out MetadataDatabase database)
    {
        database = MetadataDatabase.Open(Path.Combine(_directory, "spiro.db"));
        return new AuditLog(database, TimeProvider.System);
    }

    private static void Execute(MetadataDatabase database, string sql)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
