using Npgsql;
using Spiro.Core.Metadata;

namespace Spiro.Cluster.Metadata;

/// <summary>
/// The PostgreSQL schema, in versions applied in order (table <c>schema_version</c>). Step 1 is the
/// SQLite schema as of its version 7 (Spiro.Core's Metadata/Migrations.cs) in PostgreSQL's types:
/// the repositories' SQL runs on both unchanged. Several masters may start at once: an advisory
/// lock makes one of them migrate while the others wait. Append new steps; never edit a released one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key migrations hold (arbitrary, fixed: "spiro" in ASCII).</summary>
    private const long MigrationLock = 0x73_70_69_72_6f;

    private static readonly string[] Steps =
    [
        // 1: everything a single master keeps in spiro.db.
        """
        CREATE TABLE audit_log (
            seq        BIGINT PRIMARY KEY,
            at         TEXT NOT NULL,
            actor      TEXT NOT NULL,
            action     TEXT NOT NULL,
            target     TEXT NOT NULL,
            outcome    TEXT NOT NULL,
            detail     TEXT NOT NULL,
            prev_hash  TEXT NOT NULL,
            hash       TEXT NOT NULL
        );
        CREATE TABLE releases (
            seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id             TEXT NOT NULL UNIQUE,
            saltenv        TEXT NOT NULL,
            created        TEXT NOT NULL,
            size           BIGINT NOT NULL,
            file_count     INTEGER NOT NULL,
            source_commit  TEXT,
            published_by   TEXT NOT NULL,
            how            TEXT NOT NULL,
            top            TEXT NOT NULL,
            promoted_from  TEXT,
            removed_at     TEXT
        );
        CREATE INDEX releases_by_saltenv ON releases (saltenv, seq);
        CREATE TABLE release_history (
            seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at          TEXT NOT NULL,
            saltenv     TEXT NOT NULL,
            release_id  TEXT,
            action      TEXT NOT NULL,
            actor       TEXT NOT NULL,
            detail      TEXT NOT NULL
        );
        CREATE INDEX release_history_by_saltenv ON release_history (saltenv, seq);
        CREATE TABLE highstate_results (
            id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id         TEXT NOT NULL,
            release_id     TEXT NOT NULL,
            saltenv        TEXT NOT NULL,
            minion         TEXT NOT NULL,
            outcome        TEXT NOT NULL,
            ok             INTEGER NOT NULL,
            changed        INTEGER NOT NULL,
            failed         INTEGER NOT NULL,
            failing_states TEXT NOT NULL,
            errors         TEXT NOT NULL,
            duration_ms    DOUBLE PRECISION NOT NULL,
            test           INTEGER NOT NULL,
            finished_at    TEXT NOT NULL,
            would_change   INTEGER NOT NULL DEFAULT 0,
            retcode        INTEGER
        );
        CREATE INDEX highstate_results_release ON highstate_results (release_id, saltenv);
        CREATE TABLE tokens (
            id          TEXT PRIMARY KEY,
            label       TEXT NOT NULL,
            hash        TEXT NOT NULL UNIQUE,
            projects    TEXT NOT NULL,
            deployments TEXT NOT NULL,
            admin       INTEGER NOT NULL,
            created     TEXT NOT NULL,
            not_before  TEXT,
            expires     TEXT,
            revoked     TEXT,
            last_used   TEXT
        );
        -- rowid: SQLite's implicit insertion order, which DeployLog orders ties by; spelled out here.
        CREATE TABLE deploys (
            rowid             BIGINT GENERATED ALWAYS AS IDENTITY,
            id                TEXT PRIMARY KEY,
            saltenv           TEXT NOT NULL,
            actor             TEXT NOT NULL,
            status            TEXT NOT NULL,
            release           TEXT,
            highstate         INTEGER NOT NULL,
            test              INTEGER NOT NULL,
            created           TEXT NOT NULL,
            finished          TEXT,
            tolerate_missing  INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE deploy_events (
            deploy_id  TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
            seq        BIGINT NOT NULL,
            at         TEXT NOT NULL,
            name       TEXT NOT NULL,
            data       TEXT NOT NULL,
            PRIMARY KEY (deploy_id, seq)
        );
        CREATE TABLE settings (
            name   TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );
        """,

        // 2: the masters using this database: who they are, where their data directory is, when they last started.
        """
        CREATE TABLE cluster_masters (
            name        TEXT PRIMARY KEY,
            host        TEXT NOT NULL,
            data        TEXT NOT NULL,
            started_at  TIMESTAMPTZ NOT NULL
        );
        """,

        // 3: plans (SQLite's version 8): candidate releases stored but not live, until applied or expired.
        """
        CREATE TABLE plans (
            id            TEXT PRIMARY KEY,
            saltenv       TEXT NOT NULL,
            base_release  TEXT,
            created       TEXT NOT NULL,
            expires       TEXT NOT NULL,
            actor         TEXT NOT NULL,
            applied_at    TEXT,
            removed_at    TEXT
        );
        """,

        // 4: cluster mode (docs/cluster.md): the cluster's pointer of every saltenv, the manifests
        // the masters materialise from, what each master serves, and when each master was last alive.
        """
        CREATE SEQUENCE cluster_pointer_version;
        CREATE TABLE cluster_pointers (
            saltenv     TEXT PRIMARY KEY,
            release_id  TEXT,
            version     BIGINT NOT NULL,
            changed_at  TIMESTAMPTZ NOT NULL,
            changed_by  TEXT NOT NULL
        );
        CREATE TABLE cluster_manifests (
            release_id  TEXT PRIMARY KEY,
            saltenv     TEXT NOT NULL,
            manifest    TEXT NOT NULL
        );
        CREATE TABLE cluster_applied (
            master      TEXT NOT NULL,
            saltenv     TEXT NOT NULL,
            release_id  TEXT,
            version     BIGINT NOT NULL,
            applied_at  TIMESTAMPTZ NOT NULL,
            error       TEXT,
            PRIMARY KEY (master, saltenv)
        );
        ALTER TABLE cluster_masters ADD COLUMN seen_at TIMESTAMPTZ;
        CREATE TABLE cluster_deploys (
            deploy_id  TEXT PRIMARY KEY,
            master     TEXT NOT NULL
        );
        """,

        // 5: which pointer version a master's error is about, so a failure to follow one release
        // is never shown against a later one (null: recorded before this step).
        """
        ALTER TABLE cluster_applied ADD COLUMN error_version BIGINT;
        """,

        // 6: the contents the bucket is known to hold (a master recorded each once its PUT
        // succeeded or the store said the key exists; objects are never removed), so a deploy asks
        // the bucket only about contents the cluster has not seen (ClusterUpload).
        """
        CREATE TABLE cluster_objects (sha256 TEXT PRIMARY KEY);
        """,

        // 7: cluster_objects keyed by the store too (S3ContentStore.Identity: endpoint, bucket and
        // prefix), so a master configured for another bucket never trusts rows about this one. The
        // rows of step 6 name no store and are dropped: the next deploy asks the bucket again.
        """
        DROP TABLE cluster_objects;
        CREATE TABLE cluster_objects (store TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (store, sha256));
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Length;

    public static void Apply(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        SchemaSteps.Apply(connection, Steps, CurrentVersion(connection), version => $";\nINSERT INTO schema_version (version) VALUES ({version})");
        transaction.Commit();
    }

    public static int CurrentVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
