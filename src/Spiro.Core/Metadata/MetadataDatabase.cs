using System.Data.Common;

namespace Spiro.Core.Metadata;

/// <summary>
/// Where the metadata lives (releases, history, deploys and their events, tokens, audit log,
/// highstate results, settings): the one seam between the store's repositories and a database
/// engine. The repositories speak the SQL both engines share (named <c>@parameters</c>,
/// <c>ON CONFLICT</c>, <c>RETURNING</c>, window functions) through <see cref="Connect"/>; what differs
/// (schema migrations, how writers serialise) lives in the implementation. Two exist: the embedded
/// SQLite file (<see cref="Open"/>, the default) and PostgreSQL for a cluster (Spiro.Cluster).
/// </summary>
public abstract class MetadataDatabase
{
    /// <summary>Where the metadata lives, for messages (a file path, or a host and database name; never a password).</summary>
    public abstract string Location { get; }

    /// <summary>The schema version this build migrates the embedded database to.</summary>
    public static int CurrentSchemaVersion => Migrations.Latest;

    /// <summary>Opens (creating if needed) the embedded SQLite database at <paramref name="path"/> and applies pending migrations.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="reserve">Given back when opening a connection fails for lack of space (on a full disk WAL mode needs room even to read).</param>
    public static MetadataDatabase Open(string path, SpaceReserve? reserve = null) => SqliteMetadataDatabase.OpenFile(path, reserve);

    /// <summary>Whether a database call failed for lack of space: SQLite's SQLITE_FULL, or the I/O error of a write the file system refused.</summary>
    public static bool IsOutOfSpace(Exception exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 or 10 };

    /// <summary>
    /// Opens an existing SQLite database read-only and applies no migration, for checks that must not
    /// change a store another version of the server may be running on (<c>spiro doctor</c>).
    /// </summary>
    public static MetadataDatabase OpenReadOnly(string path) => SqliteMetadataDatabase.OpenFileReadOnly(path);

    /// <summary>The schema version the database has reached.</summary>
    public abstract long SchemaVersion();

    /// <summary>An open connection. Dispose it.</summary>
    public abstract DbConnection Connect();

    /// <summary>
    /// Makes <paramref name="transaction"/> the only writer of <paramref name="table"/> until it ends,
    /// for rows computed from the previous row (the audit log's hash chain). SQLite's write
    /// transactions already exclude each other; a server database locks the table.
    /// </summary>
    public abstract void LockForAppend(DbTransaction transaction, string table);

    /// <summary>Runs <paramref name="sql"/> with named <paramref name="parameters"/> on a connection of its own and reads every row with <paramref name="read"/>.</summary>
    public List<T> Query<T>(string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(parameters);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
