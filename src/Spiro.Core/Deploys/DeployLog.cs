using System.Data.Common;
using System.Globalization;
using Spiro.Core.Metadata;
using Spiro.Protocol.Events;

namespace Spiro.Core.Deploys;

/// <summary>Deploys and their events in SQLite (tables <c>deploys</c>, <c>deploy_events</c>).</summary>
public sealed class DeployLog(MetadataDatabase database, TimeProvider time)
{
    /// <summary>How many deploys a listing (<c>spiro deploys</c>, the v1 API) shows when not told.</summary>
    public const int DefaultListLimit = 20;

    private const string Columns = "id, saltenv, actor, status, release, highstate, test, created, finished, tolerate_missing";

    /// <summary>Records a new running deploy.</summary>
    public DeployRecord Create(string id, string saltEnv, string actor, bool highstate, bool test, bool tolerateMissing = false)
    {
        var record = new DeployRecord(id, saltEnv, actor, DeployRecord.Running, null, highstate, test, time.GetUtcNow(), null, tolerateMissing);
        using var connection = database.Connect();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO deploys ({Columns}) VALUES (@id, @env, @actor, @status, NULL, @hs, @test, @created, NULL, @tolerate)";
        insert.AddParameter("@id", id);
        insert.AddParameter("@env", saltEnv);
        insert.AddParameter("@actor", actor);
        insert.AddParameter("@status", record.Status);
        insert.AddParameter("@hs", highstate ? 1 : 0);
        insert.AddParameter("@test", test ? 1 : 0);
        insert.AddParameter("@created", Format(record.Created));
        insert.AddParameter("@tolerate", tolerateMissing ? 1 : 0);
        insert.ExecuteNonQuery();
        return record;
    }

    /// <summary>Appends an event and returns its sequence number.</summary>
    public long Append(string deployId, string name, string data)
    {
        using var connection = database.Connect();
        return InsertEvent(connection, null, deployId, name, data, Format(time.GetUtcNow()));
    }

    private static long InsertEvent(DbConnection connection, DbTransaction? transaction, string deployId, string name, string data, string at)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO deploy_events (deploy_id, seq, at, name, data)
            VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM deploy_events WHERE deploy_id = @id), @at, @name, @data)
            RETURNING seq
            """;
        insert.AddParameter("@id", deployId);
        insert.AddParameter("@at", at);
        insert.AddParameter("@name", name);
        insert.AddParameter("@data", data);
        return Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Sets the release a deploy published.</summary>
    public void SetRelease(string deployId, string release) =>
        Execute("UPDATE deploys SET release = @v WHERE id = @id", deployId, release);

    /// <summary>
    /// Appends the deploy's last event and marks it finished with <paramref name="status"/> in one
    /// transaction: a reader that sees the event also sees the finished row (the dashboard reloads a
    /// deploy's page on <c>deploy-finish</c> and must not render it as still running).
    /// </summary>
    public long AppendFinish(string deployId, string name, string data, string status)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var at = Format(time.GetUtcNow());
        var seq = InsertEvent(connection, transaction, deployId, name, data, at);
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE deploys SET status = @v, finished = @at WHERE id = @id AND finished IS NULL";
        update.AddParameter("@id", deployId);
        update.AddParameter("@v", status);
        update.AddParameter("@at", at);
        update.ExecuteNonQuery();
        transaction.Commit();
        return seq;
    }

    /// <summary>Marks the deploy finished with <paramref name="status"/>.</summary>
    public void Finish(string deployId, string status)
    {
        using var connection = database.Connect();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE deploys SET status = @v, finished = @at WHERE id = @id AND finished IS NULL";
        update.AddParameter("@id", deployId);
        update.AddParameter("@v", status);
        update.AddParameter("@at", Format(time.GetUtcNow()));
        update.ExecuteNonQuery();
    }

    /// <summary>Deploys not finished (at start-up: those a previous server was running when it stopped), oldest first.</summary>
    public IReadOnlyList<DeployRecord> Running()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM deploys WHERE finished IS NULL ORDER BY created, rowid";
        return ReadAll(command);
    }

    /// <summary>Marks every deploy still running as abandoned (a previous server stopped mid-deploy).</summary>
    public int AbandonRunning()
    {
        using var connection = database.Connect();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE deploys SET status = @status, finished = @at WHERE finished IS NULL";
        update.AddParameter("@at", Format(time.GetUtcNow()));
        update.AddParameter("@status", DeployStatus.Abandoned);
        return update.ExecuteNonQuery();
    }

    /// <summary>The deploy, or null.</summary>
    public DeployRecord? Find(string deployId)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM deploys WHERE id = @id";
        command.AddParameter("@id", deployId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadDeploy(reader) : null;
    }

    /// <summary>The newest <paramref name="limit"/> deploys of <paramref name="saltEnv"/>, newest first.</summary>
    public IReadOnlyList<DeployRecord> Recent(string saltEnv, int limit)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM deploys WHERE saltenv = @env ORDER BY created DESC, rowid DESC LIMIT @limit";
        command.AddParameter("@env", saltEnv);
        command.AddParameter("@limit", limit);
        return ReadAll(command);
    }

    /// <summary>The newest deploy of every saltenv that has one, by saltenv; one query.</summary>
    public IReadOnlyDictionary<string, DeployRecord> LatestBySaltEnv()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY saltenv ORDER BY created DESC, rowid DESC) AS n FROM deploys) AS numbered
            WHERE n = 1
            """;
        return ReadAll(command).ToDictionary(d => d.SaltEnv, StringComparer.Ordinal);
    }

    /// <summary>Events with a sequence number above <paramref name="afterSeq"/>, in order.</summary>
    public IReadOnlyList<StoredDeployEvent> EventsAfter(string deployId, long afterSeq)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, name, data FROM deploy_events WHERE deploy_id = @id AND seq > @after ORDER BY seq";
        command.AddParameter("@id", deployId);
        command.AddParameter("@after", afterSeq);
        var events = new List<StoredDeployEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new StoredDeployEvent(reader.GetInt64(0), Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3)));
        }

        return events;
    }

    private static List<DeployRecord> ReadAll(DbCommand command)
    {
        var rows = new List<DeployRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadDeploy(reader));
        }

        return rows;
    }

    private void Execute(string sql, string deployId, string value)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@id", deployId);
        command.AddParameter("@v", value);
        command.ExecuteNonQuery();
    }

    private static DeployRecord ReadDeploy(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetInt64(5) != 0,
        reader.GetInt64(6) != 0,
        Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
        reader.GetInt64(9) != 0);

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
