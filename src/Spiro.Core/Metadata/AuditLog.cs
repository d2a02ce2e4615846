using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Spiro.Core.Metadata;

/// <summary>
/// Append-only audit log whose rows form a hash chain: each row stores the previous row's hash
/// and the sha256 of that hash plus its own content, so an edited or deleted row is detectable.
/// </summary>
public sealed class AuditLog(MetadataDatabase database, TimeProvider time)
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Appends one row and returns it.</summary>
    public AuditEntry Append(string actor, string action, string target, string outcome, string detail)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var entry = Append(transaction, actor, action, target, outcome, detail);
        transaction.Commit();
        return entry;
    }

    /// <summary>
    /// Appends one row inside <paramref name="transaction"/> (a transaction on this log's database;
    /// the caller commits), for a change whose rows and audit row must commit together.
    /// </summary>
    public AuditEntry Append(DbTransaction transaction, string actor, string action, string target, string outcome, string detail)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        database.LockForAppend(transaction, "audit_log");
        var (lastSeq, lastHash) = LastRow(connection, transaction);
        var entry = new AuditEntry(
            lastSeq + 1, time.GetUtcNow(), AuditText.Clean(actor), AuditText.Clean(action), AuditText.Clean(target), AuditText.Clean(outcome), AuditText.Clean(detail, AuditText.MaxDetail));
        var hash = Hash(lastHash, entry);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
            VALUES (@seq, @at, @actor, @action, @target, @outcome, @detail, @prev, @hash);
            """;
        insert.AddParameter("@seq", entry.Seq);
        insert.AddParameter("@at", Format(entry.At));
        insert.AddParameter("@actor", entry.Actor);
        insert.AddParameter("@action", entry.Action);
        insert.AddParameter("@target", entry.Target);
        insert.AddParameter("@outcome", entry.Outcome);
        insert.AddParameter("@detail", entry.Detail);
        insert.AddParameter("@prev", lastHash);
        insert.AddParameter("@hash", hash);
        insert.ExecuteNonQuery();
        return entry;
    }

    /// <summary>Rows in order, optionally only the newest <paramref name="limit"/>.</summary>
    public IReadOnlyList<AuditEntry> Read(int? limit = null)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = limit is null
            ? "SELECT seq, at, actor, action, target, outcome, detail FROM audit_log ORDER BY seq"
            : "SELECT * FROM (SELECT seq, at, actor, action, target, outcome, detail FROM audit_log ORDER BY seq DESC LIMIT @limit) AS newest ORDER BY seq";
        command.AddParameter("@limit", limit ?? 0);
        var rows = new List<AuditEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadEntry(reader));
        }

        return rows;
    }

    /// <summary>The newest row's number and hash (0 and the genesis hash when the log is empty): what the whole chain up to now hashes to.</summary>
    public (long Seq, string Hash) Head()
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        return LastRow(connection, transaction);
    }

    /// <summary>Recomputes the chain; returns null when intact, else the first broken row and why.</summary>
    public string? Verify()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq";
        using var reader = command.ExecuteReader();
        var expectedPrev = Genesis;
        long expectedSeq = 1;
        while (reader.Read())
        {
            var entry = ReadEntry(reader);
            if (entry.Seq != expectedSeq)
            {
                return $"row {expectedSeq} is missing (found {entry.Seq})";
            }

            if (reader.GetString(7) != expectedPrev)
            {
                return $"row {entry.Seq}: previous-hash link is broken";
            }

            var hash = Hash(expectedPrev, entry);
            if (reader.GetString(8) != hash)
            {
                return $"row {entry.Seq}: content does not match its hash (tampered)";
            }

            expectedPrev = hash;
            expectedSeq++;
        }

        return null;
    }

    private static (long Seq, string Hash) LastRow(DbConnection connection, DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, Genesis);
    }

    private static AuditEntry ReadEntry(DbDataReader reader) => new(
        reader.GetInt64(0),
        MetadataTime.Parse(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6));

    private static string Hash(string previousHash, AuditEntry entry)
    {
        // Length-prefixed fields so no two different rows serialise to the same bytes.
        var builder = new StringBuilder(previousHash);
        foreach (var field in new[] { entry.Seq.ToString(CultureInfo.InvariantCulture), Format(entry.At), entry.Actor, entry.Action, entry.Target, entry.Outcome, entry.Detail })
        {
            builder.Append('|').Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    private static string Format(DateTimeOffset at) => MetadataTime.Format(at);
}
