using Microsoft.Data.Sqlite;

namespace Spiro.Core.Metadata;

/// <summary>
/// The embedded SQLite database at <c>&lt;data&gt;/spiro.db</c>: WAL, a busy timeout so the server
/// and the admin CLI can share it, and schema versioning through <see cref="Migrations"/>.
/// </summary>
public sealed class MetadataDatabase
{
    private readonly string _connectionString;
    private readonly SpaceReserve? _reserve;

    private MetadataDatabase(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate, SpaceReserve? reserve = null)
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

    /// <summary>Opens (creating if needed) the database and applies pending migrations.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="reserve">Given back when opening a connection fails for lack of space (on a full disk WAL mode needs room even to read).</param>
    public static MetadataDatabase Open(string path, SpaceReserve? reserve = null)
    {
        var database = new MetadataDatabase(path, reserve: reserve);
        using var connection = database.Connect();
        Migrations.Apply(connection);
        return database;
    }

    /// <summary>
    /// Opens an existing database read-only and applies no migration, for checks that must not
    /// change a store another version of the server may be running on (<c>spiro doctor</c>).
    /// </summary>
    public static MetadataDatabase OpenReadOnly(string path) =>
        File.Exists(path) ? new MetadataDatabase(path, SqliteOpenMode.ReadOnly) : throw new FileNotFoundException("No database", path);

    /// <summary>The schema version the database has reached (<c>PRAGMA user_version</c>).</summary>
    public long SchemaVersion()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The schema version this build migrates to.</summary>
    public static int CurrentSchemaVersion => Migrations.Latest;

    /// <summary>Whether SQLite failed for lack of space: SQLITE_FULL, or the I/O error of a write the file system refused.</summary>
    public static bool IsOutOfSpace(SqliteException exception) =>
        exception is { SqliteErrorCode: 13 or 10 };

    /// <summary>An open connection with WAL, foreign keys and a 10 s busy timeout. Dispose it.</summary>
    public SqliteConnection Connect()
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
