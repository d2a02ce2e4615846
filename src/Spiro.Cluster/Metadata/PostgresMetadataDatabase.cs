using System.Data.Common;
using Npgsql;
using Spiro.Core.Metadata;

namespace Spiro.Cluster.Metadata;

/// <summary>
/// The metadata in PostgreSQL (the <c>cluster.database</c> setting, docs/cluster.md): the same
/// tables as <c>spiro.db</c>, migrated by <see cref="PostgresMigrations"/>, reached through one
/// pooled data source. The audit log's hash chain stays verifiable with several writers because
/// an append locks the table for its transaction.
/// </summary>
public sealed class PostgresMetadataDatabase : MetadataDatabase, IDisposable
{
    private static readonly HashSet<string> AppendTables = new(StringComparer.Ordinal) { "audit_log" };

    private readonly NpgsqlDataSource _source;
    private readonly string _connectionString;

    private PostgresMetadataDatabase(NpgsqlDataSource source, string connectionString, string location)
    {
        _source = source;
        _connectionString = connectionString;
        Location = location;
    }

    /// <inheritdoc/>
    public override string Location { get; }

    /// <summary>The data source, for the cluster's own tables and notifications.</summary>
    internal NpgsqlDataSource Source => _source;

    /// <summary>
    /// A connection of its own, never pooled, for a session that holds something while it sits
    /// idle (the cross-master lock): closing it ends the session, and it carries
    /// <paramref name="applicationName"/> so <c>pg_stat_activity</c> names its holder.
    /// <paramref name="keepAlive"/> is how often the client says it is alive while idle.
    /// </summary>
    internal async Task<NpgsqlConnection> OpenDedicatedAsync(string applicationName, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString)
        {
            Pooling = false,
            ApplicationName = applicationName,
            KeepAlive = (int)Math.Ceiling(keepAlive.TotalSeconds),
            TcpKeepAlive = true,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to <paramref name="connectionString"/> and applies pending migrations; throws <see cref="NpgsqlException"/> when the server cannot be reached.</summary>
    public static PostgresMetadataDatabase OpenDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        var source = NpgsqlDataSource.Create(builder);
        try
        {
            using (var connection = source.OpenConnection())
            {
                PostgresMigrations.Apply(connection);
            }

            return new PostgresMetadataDatabase(source, connectionString, location);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>The schema version this build migrates PostgreSQL to.</summary>
    public static int CurrentPostgresSchemaVersion => PostgresMigrations.Latest;

    /// <inheritdoc/>
    public override long SchemaVersion()
    {
        using var connection = _source.OpenConnection();
        return PostgresMigrations.CurrentVersion(connection);
    }

    /// <inheritdoc/>
    public override DbConnection Connect() => _source.OpenConnection();

    /// <inheritdoc/>
    public override void LockForAppend(DbTransaction transaction, string table)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!AppendTables.Contains(table))
        {
            throw new ArgumentException($"'{table}' is not an append-only table", nameof(table));
        }

        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        // SHARE ROW EXCLUSIVE conflicts with itself: the next appender waits for this one's commit
        // and then reads the row it wrote, so the chain never forks.
        command.CommandText = $"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE";
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();
}
