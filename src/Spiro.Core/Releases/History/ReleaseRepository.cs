using System.Data.Common;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.History;

/// <summary>The <c>releases</c> and <c>release_history</c> tables.</summary>
internal sealed class ReleaseRepository(MetadataDatabase database)
{
    private const string Columns = "seq, id, saltenv, created, size, file_count, source_commit, published_by, how, top, promoted_from";

    /// <summary>Records a release (idempotent: a second insert of one id is ignored) and, when given, its history row.</summary>
    /// <param name="release">The release.</param>
    /// <param name="history">Its history row, if any.</param>
    /// <param name="alsoInTransaction">More writes that must commit with these or not at all (a cluster's pointer).</param>
    public void Record(ReleaseRecord release, HistoryEntry? history, Action<DbTransaction>? alsoInTransaction = null)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO releases (id, saltenv, created, size, file_count, source_commit, published_by, how, top, promoted_from)
                VALUES (@id, @saltenv, @created, @size, @files, @commit, @by, @how, @top, @from)
                ON CONFLICT (id) DO NOTHING;
                """;
            insert.AddParameter("@id", release.Id);
            insert.AddParameter("@saltenv", release.SaltEnv.ToString());
            insert.AddParameter("@created", Format(release.Created));
            insert.AddParameter("@size", release.Size);
            insert.AddParameter("@files", release.FileCount);
            insert.AddParameter("@commit", (object?)release.SourceCommit ?? DBNull.Value);
            insert.AddParameter("@by", release.PublishedBy);
            insert.AddParameter("@how", release.How);
            insert.AddParameter("@top", release.Top.ToString().ToLowerInvariant());
            insert.AddParameter("@from", (object?)release.PromotedFrom ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        if (history is not null)
        {
            InsertHistory(connection, transaction, history);
        }

        alsoInTransaction?.Invoke(transaction);
        transaction.Commit();
    }

    /// <summary>Adds a history row, with <paramref name="alsoInTransaction"/> committed together with it.</summary>
    public void AddHistory(HistoryEntry entry, Action<DbTransaction>? alsoInTransaction = null)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        InsertHistory(connection, transaction, entry);
        alsoInTransaction?.Invoke(transaction);
        transaction.Commit();
    }

    /// <summary>Releases of <paramref name="saltEnv"/> whose trees still exist, oldest first.</summary>
    public IReadOnlyList<ReleaseRecord> Active(SaltEnvName saltEnv) =>
        Query($"SELECT {Columns} FROM releases WHERE saltenv = @saltenv AND removed_at IS NULL ORDER BY seq", ("@saltenv", saltEnv.ToString()));

    /// <summary>Every release whose tree still exists, any saltenv.</summary>
    public IReadOnlyList<ReleaseRecord> AllActive() =>
        Query($"SELECT {Columns} FROM releases WHERE removed_at IS NULL ORDER BY seq");

    public ReleaseRecord? Find(string id) =>
        Query($"SELECT {Columns} FROM releases WHERE id = @id", ("@id", id)).FirstOrDefault();

    public void MarkRemoved(string id, DateTimeOffset at)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE releases SET removed_at = @at WHERE id = @id AND removed_at IS NULL";
        command.AddParameter("@id", id);
        command.AddParameter("@at", Format(at));
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<HistoryEntry> History(SaltEnvName saltEnv)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, saltenv, release_id, action, actor, detail FROM release_history WHERE saltenv = @saltenv ORDER BY seq";
        command.AddParameter("@saltenv", saltEnv.ToString());
        using var reader = command.ExecuteReader();
        var rows = new List<HistoryEntry>();
        while (reader.Read())
        {
            rows.Add(new HistoryEntry(
                Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return rows;
    }

    private static void InsertHistory(DbConnection connection, DbTransaction transaction, HistoryEntry entry)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO release_history (at, saltenv, release_id, action, actor, detail)
            VALUES (@at, @saltenv, @release, @action, @actor, @detail);
            """;
        command.AddParameter("@at", Format(entry.At));
        command.AddParameter("@saltenv", entry.SaltEnv);
        command.AddParameter("@release", (object?)entry.ReleaseId ?? DBNull.Value);
        command.AddParameter("@action", entry.Action);
        command.AddParameter("@actor", entry.Actor);
        command.AddParameter("@detail", entry.Detail.ReplaceLineEndings(" "));
        command.ExecuteNonQuery();
    }

    private List<ReleaseRecord> Query(string sql, params (string Name, object? Value)[] parameters) => database.Query(sql, Read, parameters);

    private static ReleaseRecord Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        SaltEnvName.TryParse(reader.GetString(2), out _) ?? throw new InvalidDataException($"bad saltenv in releases row {reader.GetString(1)}"),
        Parse(reader.GetString(3)),
        reader.GetInt64(4),
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7),
        reader.GetString(8),
        Enum.Parse<TopKind>(reader.GetString(9), ignoreCase: true),
        reader.IsDBNull(10) ? null : reader.GetString(10));

    private static string Format(DateTimeOffset at) => MetadataTime.Format(at);

    private static DateTimeOffset Parse(string text) => MetadataTime.Parse(text);
}
