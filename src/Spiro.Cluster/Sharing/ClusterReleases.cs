using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Core.Names;
using Spiro.Core.Releases.Objects;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Sharing;

/// <summary>
/// Cluster mode (docs/cluster.md), both halves: what the store of the master that makes a change
/// asks (<see cref="IReleaseSharing"/>: the cross-master saltenv lock, the upload, the pointer in
/// the change's transaction) and what a following master reads (<see cref="IReleaseSource"/>).
/// Tables <c>cluster_pointers</c>, <c>cluster_manifests</c>, <c>cluster_applied</c>; every pointer
/// change is announced on the channel <see cref="Channel"/> (masters also poll, so a lost
/// notification only delays).
/// </summary>
public sealed class ClusterReleases(PostgresMetadataDatabase database, S3ContentStore content, string master) : IReleaseSharing, IReleaseSource
{
    /// <summary>The LISTEN/NOTIFY channel; the payload is the saltenv.</summary>
    public const string Channel = "spiro_pointers";

    /// <summary>This master's name.</summary>
    public string Master => master;

    /// <inheritdoc/>
    public IContentStore Content { get; } = new FollowedContent(content, new RecordedObjects(database, content));

    /// <inheritdoc/>
    public int FetchParallelism => content.Parallelism;

    /// <inheritdoc/>
    public IReleaseSource Source => this;

    /// <inheritdoc/>
    public async Task<IDisposable?> LockAsync(SaltEnvName saltEnv, TimeSpan timeout, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var key = LockKey(saltEnv);
        var connection = await OpenLockConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var reported = false;
            while (true)
            {
                using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
                {
                    take.Parameters.AddWithValue("key", key);
                    if ((bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        // The version the pointer has while this master holds the lock: its change
                        // commits only if the pointer still has it (MovePointer).
                        var held = new AdvisoryLock(this, saltEnv.ToString(), connection, key, await PointerVersionAsync(connection, saltEnv, cancellationToken).ConfigureAwait(false));
                        _held[held.SaltEnv] = held;
                        return held;
                    }
                }

                if (!reported)
                {
                    progress?.Report($"waiting for the cluster lock on {saltEnv} held by {await HolderAsync(connection, key, cancellationToken).ConfigureAwait(false)}");
                    reported = true;
                }

                if (clock.Elapsed > timeout)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException exception)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Unavailable(exception);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task UploadAsync(IReadOnlyList<SharedContent> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return new ClusterUpload(database, content).RunAsync(objects, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Fenced: the move commits only while this master's lock session still holds the cross-master
    /// lock and the pointer still has the version it had when the lock was taken. A master whose
    /// session PostgreSQL ended (it stopped answering: <see cref="LockSessionSettings"/>) may still
    /// be running its change; another master may have taken the lock and moved the pointer since,
    /// and this change must not overwrite that one.
    /// </remarks>
    public void MovePointer(DbTransaction transaction, SaltEnvName saltEnv, string? releaseId, string? manifestJson)
    {
        var npgsql = (NpgsqlTransaction)transaction;
        var connection = npgsql.Connection!;
        if (!_held.TryGetValue(saltEnv.ToString(), out var held))
        {
            throw new InvalidOperationException($"the cluster's pointer of {saltEnv} is moved only under the cross-master lock");
        }

        Fence(connection, npgsql, saltEnv, held);
        if (manifestJson is not null && releaseId is not null)
        {
            InsertManifest(connection, npgsql, saltEnv, releaseId, manifestJson);
        }

        using var pointer = new NpgsqlCommand(
            """
            INSERT INTO cluster_pointers (saltenv, release_id, version, changed_at, changed_by)
            VALUES (@saltenv, @release, nextval('cluster_pointer_version'), now(), @master)
            ON CONFLICT (saltenv) DO UPDATE SET release_id = excluded.release_id, version = excluded.version,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by
            RETURNING version;
            """, connection, npgsql);
        pointer.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        pointer.Parameters.AddWithValue("release", (object?)releaseId ?? DBNull.Value);
        pointer.Parameters.AddWithValue("master", master);
        held.Version = (long)pointer.ExecuteScalar()!;
        using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @saltenv)", connection, npgsql);
        notify.Parameters.AddWithValue("channel", Channel);
        notify.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        notify.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void ShareManifest(DbTransaction? transaction, SaltEnvName saltEnv, string releaseId, string manifestJson)
    {
        if (transaction is NpgsqlTransaction npgsql)
        {
            InsertManifest(npgsql.Connection!, npgsql, saltEnv, releaseId, manifestJson);
            return;
        }

        using var connection = Open();
        InsertManifest(connection, null, saltEnv, releaseId, manifestJson);
    }

    private static void InsertManifest(NpgsqlConnection connection, NpgsqlTransaction? transaction, SaltEnvName saltEnv, string releaseId, string manifestJson)
    {
        using var manifest = new NpgsqlCommand(
            "INSERT INTO cluster_manifests (release_id, saltenv, manifest) VALUES (@release, @saltenv, @manifest) ON CONFLICT (release_id) DO NOTHING",
            connection, transaction);
        manifest.Parameters.AddWithValue("release", releaseId);
        manifest.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        manifest.Parameters.AddWithValue("manifest", manifestJson);
        manifest.ExecuteNonQuery();
    }

    // Inside the change's transaction: the pointer's row is locked first (FOR UPDATE), so a master
    // that took the lock after this one lost it waits here until this transaction ends, then sees
    // the version moved and fails in turn: of two changes made on one version, one commits.
    private void Fence(NpgsqlConnection connection, NpgsqlTransaction transaction, SaltEnvName saltEnv, AdvisoryLock held)
    {
        using (var row = new NpgsqlCommand("SELECT version, release_id, changed_by FROM cluster_pointers WHERE saltenv = @saltenv FOR UPDATE", connection, transaction))
        {
            row.Parameters.AddWithValue("saltenv", saltEnv.ToString());
            using var reader = row.ExecuteReader();
            var now = reader.Read() ? (Version: (long?)reader.GetInt64(0), Release: reader.IsDBNull(1) ? "nothing (deleted)" : reader.GetString(1), By: reader.GetString(2)) : (null, "", "");
            if (now.Version != held.Version)
            {
                throw new ClusterConflictException(
                    $"cluster: the pointer of {saltEnv} moved while this master ({master}) was changing it (now release {now.Release}, set by {now.By}): "
                    + "this master lost the cross-master lock; nothing was changed by this request");
            }
        }

        using var holds = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = @pid
                AND classid::text::bigint = @high AND objid::text::bigint = @low AND objsubid = 1)
            """, connection, transaction);
        holds.Parameters.AddWithValue("pid", held.ProcessId);
        holds.Parameters.AddWithValue("high", held.Key >> 32);
        holds.Parameters.AddWithValue("low", held.Key & 0xFFFF_FFFF);
        if (!(bool)holds.ExecuteScalar()!)
        {
            throw new ClusterConflictException(
                $"cluster: this master ({master}) lost the cross-master lock on {saltEnv} (PostgreSQL ended its lock session); nothing was changed by this request");
        }
    }

    /// <inheritdoc/>
    public void Applied(SaltEnvName saltEnv, string? releaseId)
    {
        // Called under the cross-master lock right after this master's own change: the pointer names it.
        if (CurrentPointer(saltEnv) is { } current && string.Equals(current.ReleaseId, releaseId, StringComparison.Ordinal))
        {
            Applied(saltEnv, current);
        }
    }

    /// <inheritdoc/>
    public SharedPointer? CurrentPointer(SaltEnvName saltEnv)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT release_id, version FROM cluster_pointers WHERE saltenv = @saltenv", connection);
        command.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        using var reader = command.ExecuteReader();
        return reader.Read() ? new SharedPointer(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <inheritdoc/>
    public string? Manifest(string releaseId)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT manifest FROM cluster_manifests WHERE release_id = @release", connection);
        command.Parameters.AddWithValue("release", releaseId);
        return command.ExecuteScalar() as string;
    }

    /// <inheritdoc/>
    public void Applied(SaltEnvName saltEnv, SharedPointer target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var connection = Open();
        using var command = new NpgsqlCommand(
            """
            INSERT INTO cluster_applied (master, saltenv, release_id, version, applied_at, error)
            VALUES (@master, @saltenv, @release, @version, now(), NULL)
            ON CONFLICT (master, saltenv) DO UPDATE SET release_id = excluded.release_id, version = excluded.version,
                applied_at = excluded.applied_at, error = NULL, error_version = NULL
            WHERE cluster_applied.version <= excluded.version
            """, connection);
        command.Parameters.AddWithValue("master", master);
        command.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        command.Parameters.AddWithValue("release", (object?)target.ReleaseId ?? DBNull.Value);
        command.Parameters.AddWithValue("version", target.Version);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Why this master could not follow <paramref name="saltEnv"/>'s pointer at version
    /// <paramref name="version"/>, for the deploy waiting on it and for status; what it serves stays as it was.
    /// </summary>
    public void Failed(string saltEnv, long version, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var connection = Open();
        using var command = new NpgsqlCommand(
            """
            INSERT INTO cluster_applied (master, saltenv, release_id, version, applied_at, error, error_version)
            VALUES (@master, @saltenv, NULL, 0, now(), @error, @about)
            ON CONFLICT (master, saltenv) DO UPDATE SET error = excluded.error, error_version = excluded.error_version
            """, connection);
        command.Parameters.AddWithValue("master", master);
        command.Parameters.AddWithValue("saltenv", saltEnv);
        command.Parameters.AddWithValue("about", version);
        command.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
        command.ExecuteNonQuery();
    }

    /// <summary>Records that this master runs deploy <paramref name="deployId"/>: only its own restart may end it as abandoned.</summary>
    public void ClaimDeploy(string deployId)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("INSERT INTO cluster_deploys (deploy_id, master) VALUES (@id, @master) ON CONFLICT (deploy_id) DO NOTHING", connection);
        command.Parameters.AddWithValue("id", deployId);
        command.Parameters.AddWithValue("master", master);
        command.ExecuteNonQuery();
    }

    /// <summary>Whether deploy <paramref name="deployId"/> is this master's (or no master claimed it).</summary>
    public bool OwnsDeploy(string deployId)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT master FROM cluster_deploys WHERE deploy_id = @id", connection);
        command.Parameters.AddWithValue("id", deployId);
        return command.ExecuteScalar() is not string owner || owner == master;
    }

    /// <summary>
    /// Every saltenv's pointer with the version this master last recorded as applied (0: never),
    /// oldest change first: behind when that is lower, or when what it serves differs (the caller
    /// compares with its symlinks).
    /// </summary>
    public IReadOnlyList<(string SaltEnv, SharedPointer Target, long Applied)> Pointers()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand(
            """
            SELECT p.saltenv, p.release_id, p.version, COALESCE(a.version, 0) FROM cluster_pointers p
            LEFT JOIN cluster_applied a ON a.master = @master AND a.saltenv = p.saltenv
            ORDER BY p.version
            """, connection);
        command.Parameters.AddWithValue("master", master);
        using var reader = command.ExecuteReader();
        var pointers = new List<(string, SharedPointer, long)>();
        while (reader.Read())
        {
            pointers.Add((reader.GetString(0), new SharedPointer(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)), reader.GetInt64(3)));
        }

        return pointers;
    }

    /// <summary>A connection that LISTENs on <see cref="Channel"/>: wait on it with <see cref="NpgsqlConnection.WaitAsync(TimeSpan, CancellationToken)"/>.</summary>
    public async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A 62-bit key from the saltenv's name, so the lock is the same on every master and the
    // holder can be found in pg_locks (classid: high 32 bits, objid: low 32 bits).
    internal static long LockKey(SaltEnvName saltEnv)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("spiro saltenv " + saltEnv));
        return BitConverter.ToInt64(hash, 0) & 0x3FFF_FFFF_FFFF_FFFF;
    }

    private static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::text::bigint = @high AND l.objid::text::bigint = @low AND l.objsubid = 1
            """, connection);
        command.Parameters.AddWithValue("high", key >> 32);
        command.Parameters.AddWithValue("low", key & 0xFFFF_FFFF);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string { Length: > 0 } name ? $"master {name}" : "another master";
    }

    /// <summary>
    /// How the lock session is kept honest: the client says it is alive every
    /// <see cref="LockKeepAlive"/>; PostgreSQL ends the session after <c>idle_session_timeout</c>
    /// without a word (a dead host, a hung or stopped process) and its TCP keepalives find a
    /// vanished peer, so the lock a dead master held is free again within seconds, not hours.
    /// Only the settings the server knows are set (<c>idle_session_timeout</c> needs PostgreSQL 14).
    /// </summary>
    internal static readonly IReadOnlyList<(string Name, string Value)> LockSessionSettings =
    [
        ("idle_session_timeout", "15s"),
        ("tcp_keepalives_idle", "5"),
        ("tcp_keepalives_interval", "2"),
        ("tcp_keepalives_count", "3"),
        ("tcp_user_timeout", "15000"),
    ];

    internal static readonly TimeSpan LockKeepAlive = TimeSpan.FromSeconds(3);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AdvisoryLock> _held = new(StringComparer.Ordinal);

    private async Task<NpgsqlConnection> OpenLockConnectionAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await database.OpenDedicatedAsync(master, LockKeepAlive, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Unavailable(exception);
        }

        try
        {
            using var settings = new NpgsqlCommand(
                "SELECT set_config(s.name, v.value, false) FROM unnest(@names, @values) AS v(name, value) JOIN pg_settings s ON s.name = v.name", connection);
            settings.Parameters.AddWithValue("names", LockSessionSettings.Select(s => s.Name).ToArray());
            settings.Parameters.AddWithValue("values", LockSessionSettings.Select(s => s.Value).ToArray());
            await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<long?> PointerVersionAsync(NpgsqlConnection connection, SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT version FROM cluster_pointers WHERE saltenv = @saltenv", connection);
        command.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }

    private NpgsqlConnection Open()
    {
        try
        {
            return database.Source.OpenConnection();
        }
        catch (NpgsqlException exception)
        {
            throw Unavailable(exception);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Unavailable(exception);
        }
    }

    private static ClusterUnavailableException Unavailable(NpgsqlException exception) =>
        new($"cluster.database: cannot use PostgreSQL: {exception.Message}", exception);

    /// <summary>
    /// A session advisory lock on its own unpooled connection: unlocked, then the connection
    /// closed (a crash closes it too, and PostgreSQL ends it when this master stops answering).
    /// </summary>
    private sealed class AdvisoryLock(ClusterReleases owner, string saltEnv, NpgsqlConnection connection, long key, long? version) : IDisposable
    {
        public string SaltEnv => saltEnv;

        public long Key => key;

        public int ProcessId { get; } = connection.ProcessID;

        /// <summary>The pointer's version this master's next change is made on (null: no pointer yet).</summary>
        public long? Version { get; set; } = version;

        public void Dispose()
        {
            owner._held.TryRemove(new KeyValuePair<string, AdvisoryLock>(saltEnv, this));
            try
            {
                using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", key);
                unlock.ExecuteNonQuery();
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and the lock with it.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
