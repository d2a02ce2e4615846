using System.Data.Common;
using Spiro.Core.Metadata;

namespace Spiro.Cluster.Import;

/// <summary>
/// Every row of a single master's <c>spiro.db</c>, read in one read transaction (one consistent
/// snapshot even while something else writes), opened read-only and never migrated.
/// </summary>
internal sealed class SourceTables
{
    private SourceTables(IReadOnlyDictionary<string, TableRows> tables, (long Seq, string Hash) auditHead)
    {
        Tables = tables;
        AuditHead = auditHead;
    }

    /// <summary>Rows by table name (<see cref="ImportedTable.All"/>).</summary>
    public IReadOnlyDictionary<string, TableRows> Tables { get; }

    /// <summary>The audit chain's newest row and hash: what identifies this store's history as imported.</summary>
    public (long Seq, string Hash) AuditHead { get; }

    /// <summary>
    /// Reads <paramref name="database"/>; throws <see cref="InvalidDataException"/> when its schema is
    /// not the one this build writes, it has a table the import does not know, or its audit chain is broken.
    /// </summary>
    public static SourceTables Read(MetadataDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.SchemaVersion() != MetadataDatabase.CurrentSchemaVersion)
        {
            throw new InvalidDataException(
                $"{database.Location} has schema version {database.SchemaVersion()}, this spiro writes {MetadataDatabase.CurrentSchemaVersion}: "
                + "start this version's spiro serve on the single master once (it migrates the file), stop it, then import");
        }

        var audit = new AuditLog(database, TimeProvider.System);
        if (audit.Verify() is { } broken)
        {
            throw new InvalidDataException($"{database.Location}: the audit chain is broken ({broken}); the cluster's chain would not verify, so nothing is imported");
        }

        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var unknown = Strings(connection, transaction, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .Except(ImportedTable.All.Select(t => t.Name), StringComparer.Ordinal)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{database.Location} has tables this import does not know ({string.Join(", ", unknown)}); nothing is imported");
        }

        var tables = new Dictionary<string, TableRows>(StringComparer.Ordinal);
        foreach (var table in ImportedTable.All)
        {
            tables[table.Name] = ReadTable(connection, transaction, table);
        }

        // The head as of this snapshot (the verify above read its own).
        var auditRows = tables["audit_log"];
        var head = auditRows.Rows.Count == 0
            ? (0L, new string('0', 64))
            : auditRows.Rows.Select(r => (Seq: (long)auditRows.Value(r, "seq")!, Hash: (string)auditRows.Value(r, "hash")!)).MaxBy(r => r.Seq);
        return new SourceTables(tables, head);
    }

    private static TableRows ReadTable(DbConnection connection, DbTransaction transaction, ImportedTable table)
    {
        // SQLite's rowid is implicit (not in table_info); PostgreSQL spells it out.
        var columns = Strings(connection, transaction, $"SELECT name FROM pragma_table_info('{table.Name}') ORDER BY cid").ToList();
        if (table.Identity == "rowid")
        {
            columns.Insert(0, "rowid");
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table.Name} ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new TableRows(table, columns, rows);
    }

    private static List<string> Strings(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}

/// <summary>The rows of one table, each in <see cref="Columns"/> order.</summary>
internal sealed record TableRows(ImportedTable Table, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>The value of <paramref name="column"/> in <paramref name="row"/>.</summary>
    public object? Value(object?[] row, string column) => row[IndexOf(column)];

    private int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        throw new InvalidDataException($"spiro.db table {Table.Name} has no column {column}");
    }
}
