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

    private PostgresMetadataDatabase(NpgsqlDataSource source, string location)
    {
        _source = source;
        Location = location;
    }

    /// <inheritdoc/>
    public override string Location { get; }

    /// <summary>The data source, for the cluster's own tables and notifications.</summary>
    internal NpgsqlDataSource Source => _source;

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

            return new PostgresMetadataDatabase(source, location);
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
