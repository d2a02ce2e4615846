using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
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

    // Uploads in parallel: each object is a HEAD and maybe a PUT, mostly waiting on the gateway.
    private const int UploadParallelism = 8;

    /// <summary>This master's name.</summary>
    public string Master => master;

    /// <inheritdoc/>
    public IContentStore Content => content;

    /// <inheritdoc/>
    public IReleaseSource Source => this;

    /// <inheritdoc/>
    public async Task<IDisposable?> LockAsync(SaltEnvName saltEnv, TimeSpan timeout, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var key = LockKey(saltEnv);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
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
                        return new AdvisoryLock(connection, key);
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
    public async Task UploadAsync(IReadOnlyList<SharedContent> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        try
        {
            await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = UploadParallelism, CancellationToken = cancellationToken }, async (item, token) =>
            {
                if (!await content.ContainsAsync(item.Sha256, token).ConfigureAwait(false))
                {
                    await content.PutAsync(item.Sha256, item.File, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw new ClusterUnavailableException($"cluster.objects: cannot store the release's content in {content.Location}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc/>
    public void MovePointer(DbTransaction transaction, SaltEnvName saltEnv, string? releaseId, string? manifestJson)
    {
        var npgsql = (NpgsqlTransaction)transaction;
        var connection = npgsql.Connection!;
        if (manifestJson is not null && releaseId is not null)
        {
            using var manifest = new NpgsqlCommand(
                "INSERT INTO cluster_manifests (release_id, saltenv, manifest) VALUES (@release, @saltenv, @manifest) ON CONFLICT (release_id) DO NOTHING",
                connection, npgsql);
            manifest.Parameters.AddWithValue("release", releaseId);
            manifest.Parameters.AddWithValue("saltenv", saltEnv.ToString());
            manifest.Parameters.AddWithValue("manifest", manifestJson);
            manifest.ExecuteNonQuery();
        }

        using var pointer = new NpgsqlCommand(
            """
            INSERT INTO cluster_pointers (saltenv, release_id, version, changed_at, changed_by)
            VALUES (@saltenv, @release, nextval('cluster_pointer_version'), now(), @master)
            ON CONFLICT (saltenv) DO UPDATE SET release_id = excluded.release_id, version = excluded.version,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by;
            SELECT pg_notify(@channel, @saltenv);
            """, connection, npgsql);
        pointer.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        pointer.Parameters.AddWithValue("release", (object?)releaseId ?? DBNull.Value);
        pointer.Parameters.AddWithValue("master", master);
        pointer.Parameters.AddWithValue("channel", Channel);
        pointer.ExecuteNonQuery();
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
                applied_at = excluded.applied_at, error = NULL
            WHERE cluster_applied.version <= excluded.version
            """, connection);
        command.Parameters.AddWithValue("master", master);
        command.Parameters.AddWithValue("saltenv", saltEnv.ToString());
        command.Parameters.AddWithValue("release", (object?)target.ReleaseId ?? DBNull.Value);
        command.Parameters.AddWithValue("version", target.Version);
        command.ExecuteNonQuery();
    }

    /// <summary>Why this master could not follow <paramref name="saltEnv"/>'s pointer, for the deploy waiting on it and for status; what it serves stays as it was.</summary>
    public void Failed(string saltEnv, string error)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand(
            """
            INSERT INTO cluster_applied (master, saltenv, release_id, version, applied_at, error)
            VALUES (@master, @saltenv, NULL, 0, now(), @error)
            ON CONFLICT (master, saltenv) DO UPDATE SET error = excluded.error
            """, connection);
        command.Parameters.AddWithValue("master", master);
        command.Parameters.AddWithValue("saltenv", saltEnv);
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

    /// <summary>The saltenvs whose pointer moved past what this master last applied, oldest change first.</summary>
    public IReadOnlyList<(string SaltEnv, SharedPointer Target)> Behind()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand(
            """
            SELECT p.saltenv, p.release_id, p.version FROM cluster_pointers p
            LEFT JOIN cluster_applied a ON a.master = @master AND a.saltenv = p.saltenv
            WHERE a.version IS NULL OR a.version < p.version
            ORDER BY p.version
            """, connection);
        command.Parameters.AddWithValue("master", master);
        using var reader = command.ExecuteReader();
        var behind = new List<(string, SharedPointer)>();
        while (reader.Read())
        {
            behind.Add((reader.GetString(0), new SharedPointer(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2))));
        }

        return behind;
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
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string { Length: > 0 } name ? name : "another master";
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

    /// <summary>A session advisory lock on its own connection: unlocked, then the connection closed (a crash closes it too).</summary>
    private sealed class AdvisoryLock(NpgsqlConnection connection, long key) : IDisposable
    {
        public void Dispose()
        {
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
