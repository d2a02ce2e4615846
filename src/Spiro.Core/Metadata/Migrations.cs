using Microsoft.Data.Sqlite;

namespace Spiro.Core.Metadata;

/// <summary>
/// Schema versions, applied in order inside one transaction each; <c>PRAGMA user_version</c>
/// holds the version reached. Append new steps; never edit a released one.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        // 1: append-only audit log; each row's hash covers the previous row's hash and its own content.
        """
        CREATE TABLE audit_log (
            seq        INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            actor      TEXT NOT NULL,
            action     TEXT NOT NULL,
            target     TEXT NOT NULL,
            outcome    TEXT NOT NULL,
            detail     TEXT NOT NULL,
            prev_hash  TEXT NOT NULL,
            hash       TEXT NOT NULL
        );
        """,

        // 2: releases of the store and the per-saltenv history of pointer changes (publish, rollback, promote, delete).
        """
        CREATE TABLE releases (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            saltenv        TEXT NOT NULL,
            created        TEXT NOT NULL,
            size           INTEGER NOT NULL,
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
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            at          TEXT NOT NULL,
            saltenv     TEXT NOT NULL,
            release_id  TEXT,
            action      TEXT NOT NULL,
            actor       TEXT NOT NULL,
            detail      TEXT NOT NULL
        );
        CREATE INDEX release_history_by_saltenv ON release_history (saltenv, seq);
        """,

        // 3: highstate results: one row per minion per highstate run, kept with the release it ran for.
        """
        CREATE TABLE highstate_results (
            id             INTEGER PRIMARY KEY,
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
            duration_ms    REAL NOT NULL,
            test           INTEGER NOT NULL,
            finished_at    TEXT NOT NULL
        );
        CREATE INDEX highstate_results_release ON highstate_results (release_id, saltenv);
        """,

        // 4: tokens, stored only as the sha256 of the secret; empty projects = every project (root).
        """
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
        """,

        // 5: deploys and their events, kept so a client can re-attach to a running deploy's stream.
        """
        CREATE TABLE deploys (
            id         TEXT PRIMARY KEY,
            saltenv    TEXT NOT NULL,
            actor      TEXT NOT NULL,
            status     TEXT NOT NULL,
            release    TEXT,
            highstate  INTEGER NOT NULL,
            test       INTEGER NOT NULL,
            created    TEXT NOT NULL,
            finished   TEXT
        );
        CREATE TABLE deploy_events (
            deploy_id  TEXT NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            at         TEXT NOT NULL,
            name       TEXT NOT NULL,
            data       TEXT NOT NULL,
            PRIMARY KEY (deploy_id, seq)
        );
        """,

        // 6: settings the server persists for every process using the data directory (e.g. keep_releases for the admin CLI).
        """
        CREATE TABLE settings (
            name   TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );
        """,

        // 7: the one highstate result model (Spiro.Protocol.Highstate): would-change counted apart from
        // changed, Salt's retcode per minion; whether a deploy tolerates minions that do not return.
        """
        ALTER TABLE highstate_results ADD COLUMN would_change INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE highstate_results ADD COLUMN retcode INTEGER;
        ALTER TABLE deploys ADD COLUMN tolerate_missing INTEGER NOT NULL DEFAULT 0;
        """,

        // 8: plans: candidate releases stored but not live (docs/api.md "Plans"), until applied or expired.
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
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => Steps.Length;

    public static void Apply(SqliteConnection connection)
    {
        using var exclusive = connection.CreateCommand();
        exclusive.CommandText = "BEGIN IMMEDIATE;";
        exclusive.ExecuteNonQuery();
        try
        {
            SchemaSteps.Apply(connection, Steps, CurrentVersion(connection), version => $"PRAGMA user_version = {version};");

            using var commit = connection.CreateCommand();
            commit.CommandText = "COMMIT;";
            commit.ExecuteNonQuery();
        }
        catch
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
            throw;
        }
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
