using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Spiro.Core.Metadata;

/// <summary>
/// The embedded SQLite database at <c>&lt;data&gt;/spiro.db</c>: WAL, a busy timeout so the server
/// and the admin CLI can share it, and schema versioning through <see cref="Migrations"/>.
/// </summary>
public sealed class SqliteMetadataDatabase : MetadataDatabase
{
    private readonly string _connectionString;
    private readonly SpaceReserve? _reserve;

    private SqliteMetadataDatabase(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate, SpaceReserve? reserve = null)
    {
        Path = path;
        _reserve = reserve;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>File path of the database.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string Location => Path;

    /// <summary>Opens (creating if needed) the database and applies pending migrations.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="reserve">Given back when opening a connection fails for lack of space.</param>
    public static SqliteMetadataDatabase OpenFile(string path, SpaceReserve? reserve = null)
    {
        var database = new SqliteMetadataDatabase(path, reserve: reserve);
        using var connection = database.ConnectSqlite();
        Migrations.Apply(connection);
        return database;
    }

    /// <summary>Opens an existing database read-only and applies no migration.</summary>
    public static SqliteMetadataDatabase OpenFileReadOnly(string path) =>
        File.Exists(path) ? new SqliteMetadataDatabase(path, SqliteOpenMode.ReadOnly) : throw new FileNotFoundException("No database", path);

    /// <summary>The schema version the database has reached (<c>PRAGMA user_version</c>).</summary>
    public override long SchemaVersion()
    {
        using var connection = ConnectSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>An open connection with WAL, foreign keys and a 10 s busy timeout. Dispose it.</summary>
    public override DbConnection Connect() => ConnectSqlite();

    /// <inheritdoc/>
    public override void LockForAppend(DbTransaction transaction, string table)
    {
        // BeginTransaction() is BEGIN IMMEDIATE: the write lock is already held.
    }

    private SqliteConnection ConnectSqlite()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
        try
        {
            pragma.ExecuteNonQuery();
        }
        catch (SqliteException e) when (IsOutOfSpace(e) && _reserve?.Release() == true)
        {
            pragma.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }
}
