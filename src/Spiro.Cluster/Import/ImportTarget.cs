using System.Globalization;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Sharing;
using Spiro.Core.Metadata;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Import;

/// <summary>
/// The PostgreSQL side of <c>spiro cluster import</c>: whether the cluster is empty (or already holds
/// this very store), and the one transaction that writes every row, manifest and pointer.
/// </summary>
internal sealed class ImportTarget(PostgresMetadataDatabase database, string master, TimeProvider time)
{
    // What makes a cluster not empty; settings and registered masters do not (a master writes its
    // keep_releases and registers at start-up, before anything is published).
    private static readonly string[] Holding =
        ["releases", "release_history", "tokens", "audit_log", "deploys", "plans", "highstate_results", "cluster_pointers", "cluster_manifests"];

    // Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (16 columns).
    private const int RowsPerInsert = 2000;

    /// <summary>Null when the cluster is empty; else whether it holds this import already, or why not.</summary>
    public ImportOutcome? Check((long Seq, string Hash) head)
    {
        using var connection = (NpgsqlConnection)database.Connect();
        return Check(connection, null, head);
    }

    /// <summary>
    /// Writes everything in one transaction, holding the audit log's append lock from the start (so
    /// no other writer can slip in between the emptiness check and the commit); null when done,
    /// else the refusal (nothing written).
    /// </summary>
    public ImportOutcome? Write(SourceTables tables, IReadOnlyList<SnapshotManifest> manifests, IReadOnlyList<LivePointer> live, ImportSummary summary, string actor)
    {
        using var connection = (NpgsqlConnection)database.Connect();
        using var transaction = connection.BeginTransaction();
        database.LockForAppend(transaction, "audit_log");
        if (Check(connection, transaction, (summary.AuditHeadSeq, summary.AuditHeadHash)) is { } state)
        {
            return state;
        }

        foreach (var table in ImportedTable.All)
        {
            Copy(connection, transaction, tables.Tables[table.Name]);
        }

        foreach (var manifest in manifests)
        {
            using var insert = new NpgsqlCommand("INSERT INTO cluster_manifests (release_id, saltenv, manifest) VALUES (@release, @saltenv, @manifest)", connection, transaction);
            insert.Parameters.AddWithValue("release", manifest.ReleaseId);
            insert.Parameters.AddWithValue("saltenv", manifest.SaltEnv);
            insert.Parameters.AddWithValue("manifest", manifest.Text);
            insert.ExecuteNonQuery();
        }

        foreach (var pointer in live)
        {
            using var insert = new NpgsqlCommand(
                """
                INSERT INTO cluster_pointers (saltenv, release_id, version, changed_at, changed_by)
                VALUES (@saltenv, @release, nextval('cluster_pointer_version'), now(), @master);
                SELECT pg_notify(@channel, @saltenv);
                """, connection, transaction);
            insert.Parameters.AddWithValue("saltenv", pointer.SaltEnv);
            insert.Parameters.AddWithValue("release", pointer.ReleaseId);
            insert.Parameters.AddWithValue("master", master);
            insert.Parameters.AddWithValue("channel", ClusterReleases.Channel);
            insert.ExecuteNonQuery();
        }

        // The chain goes on from the imported head: the import is itself audited, verifiably.
        new AuditLog(database, time).Append(transaction, actor, ClusterImport.AuditAction, Target(summary.AuditHeadHash), "ok", Detail(summary));
        transaction.Commit();
        return null;
    }

    private static ImportOutcome? Check(NpgsqlConnection connection, NpgsqlTransaction? transaction, (long Seq, string Hash) head)
    {
        using (var done = new NpgsqlCommand("SELECT at || ': ' || detail FROM audit_log WHERE action = @action AND target = @target ORDER BY seq LIMIT 1", connection, transaction))
        {
            done.Parameters.AddWithValue("action", ClusterImport.AuditAction);
            done.Parameters.AddWithValue("target", Target(head.Hash));
            if (done.ExecuteScalar() is string detail)
            {
                return new ImportOutcome.AlreadyImported(detail);
            }
        }

        using var count = new NpgsqlCommand(string.Join(" UNION ALL ", Holding.Select(t => $"SELECT '{t}', COUNT(*) FROM {t}")), connection, transaction);
        using var reader = count.ExecuteReader();
        var held = new List<string>();
        while (reader.Read())
        {
            if (reader.GetInt64(1) > 0)
            {
                held.Add($"{reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)} {reader.GetString(0)} rows");
            }
        }

        return held.Count == 0
            ? null
            : new ImportOutcome.Refused(
                $"the cluster is not empty ({string.Join(", ", held)}): a store is imported into an empty cluster only, "
                + "so its audit chain and release order stay exactly as they were (docs/cluster.md); nothing was imported");
    }

    private static void Copy(NpgsqlConnection connection, NpgsqlTransaction transaction, TableRows rows)
    {
        var table = rows.Table;
        foreach (var chunk in rows.Rows.Chunk(RowsPerInsert))
        {
            using var insert = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            var values = new List<string>(chunk.Length);
            foreach (var row in chunk)
            {
                var names = new string[row.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = row[i] ?? DBNull.Value });
                    names[i] = "$" + insert.Parameters.Count.ToString(CultureInfo.InvariantCulture);
                }

                values.Add("(" + string.Join(", ", names) + ")");
            }

            insert.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", rows.Columns)}) {(table.Identity is null ? "" : "OVERRIDING SYSTEM VALUE ")}VALUES {string.Join(", ", values)}"
                + (table.KeepExisting ? " ON CONFLICT DO NOTHING" : "");
            insert.ExecuteNonQuery();
        }

        if (table.Identity is { } identity)
        {
            // The next row PostgreSQL generates comes after every imported one.
            using var next = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{identity}'), COALESCE(MAX({identity}), 0) + 1, false) FROM {table.Name}", connection, transaction);
            next.ExecuteNonQuery();
        }
    }

    private static string Target(string headHash) => "audit chain " + headHash;

    private static string Detail(ImportSummary summary) =>
        $"from {summary.Source}: audit rows 1-{summary.AuditHeadSeq.ToString(CultureInfo.InvariantCulture)} as they were; "
        + string.Join(", ", summary.Rows.Where(r => r.Key != "audit_log").Select(r => $"{r.Value.ToString(CultureInfo.InvariantCulture)} {r.Key}"))
        + $"; {summary.Manifests.ToString(CultureInfo.InvariantCulture)} manifests, {summary.Live.Count.ToString(CultureInfo.InvariantCulture)} live saltenvs";
}
