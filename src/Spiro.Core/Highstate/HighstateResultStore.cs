using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>Highstate results kept with the release they ran for (table <c>highstate_results</c>).</summary>
public sealed class HighstateResultStore(MetadataDatabase database)
{
    /// <summary>Stores every minion of <paramref name="run"/> in one transaction.</summary>
    public void Record(HighstateRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var minion in run.Minions)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO highstate_results
                    (run_id, release_id, saltenv, minion, outcome, ok, changed, would_change, failed, retcode, failing_states, errors, duration_ms, test, finished_at)
                VALUES (@run, @release, @saltenv, @minion, @outcome, @ok, @changed, @would, @failed, @retcode, @failing, @errors, @duration, @test, @finished);
                """;
            insert.AddParameter("@run", run.RunId);
            insert.AddParameter("@release", run.ReleaseId);
            insert.AddParameter("@saltenv", run.SaltEnv.ToString());
            insert.AddParameter("@minion", minion.Minion);
            insert.AddParameter("@outcome", minion.Outcome.ToText());
            insert.AddParameter("@ok", minion.Ok);
            insert.AddParameter("@changed", minion.Changed);
            insert.AddParameter("@would", minion.WouldChange);
            insert.AddParameter("@failed", minion.Failed);
            insert.AddParameter("@retcode", minion.Retcode is { } retcode ? retcode : DBNull.Value);
            insert.AddParameter("@failing", HighstateJson.FailingStates(minion));
            insert.AddParameter("@errors", new JsonArray([.. minion.Errors.Select(error => JsonValue.Create(error))]).ToJsonString());
            insert.AddParameter("@duration", minion.DurationMs);
            insert.AddParameter("@test", run.Test ? 1 : 0);
            insert.AddParameter("@finished", run.FinishedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Every run recorded for a release of a saltenv, oldest first.</summary>
    public IReadOnlyList<HighstateRun> Query(string releaseId, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT run_id, test, finished_at, minion, outcome, ok, changed, failed, failing_states, errors, duration_ms, would_change, retcode
            FROM highstate_results WHERE release_id = @release AND saltenv = @saltenv ORDER BY id;
            """;
        command.AddParameter("@release", releaseId);
        command.AddParameter("@saltenv", saltEnv.ToString());
        using var reader = command.ExecuteReader();
        var runs = new List<(string RunId, bool Test, DateTimeOffset At, List<MinionSummary> Minions)>();
        while (reader.Read())
        {
            var runId = reader.GetString(0);
            if (runs.Count == 0 || runs[^1].RunId != runId)
            {
                runs.Add((runId, reader.GetInt64(1) != 0, DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), []));
            }

            runs[^1].Minions.Add(ReadMinion(reader));
        }

        return [.. runs.Select(run => new HighstateRun(run.RunId, releaseId, saltEnv, run.Test, run.At, [.. run.Minions.OrderBy(m => m.Minion, StringComparer.Ordinal)]))];
    }

    /// <summary>The newest run of every saltenv that has one, counted, by saltenv; one query.</summary>
    public IReadOnlyDictionary<string, MinionTally> LatestBySaltEnv()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.saltenv, r.release_id, COUNT(*), SUM(CASE WHEN r.outcome = @ok THEN 1 ELSE 0 END), MAX(r.test)
            FROM highstate_results r
            JOIN (SELECT saltenv, MAX(id) AS last FROM highstate_results GROUP BY saltenv) l ON l.saltenv = r.saltenv
            JOIN highstate_results n ON n.id = l.last AND n.run_id = r.run_id
            GROUP BY r.saltenv, r.run_id, r.release_id;
            """;
        command.AddParameter("@ok", MinionOutcome.Succeeded.ToText());
        using var reader = command.ExecuteReader();
        var tallies = new Dictionary<string, MinionTally>(StringComparer.Ordinal);
        while (reader.Read())
        {
            tallies[reader.GetString(0)] = new MinionTally(reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4) != 0);
        }

        return tallies;
    }

    private static MinionSummary ReadMinion(DbDataReader reader) => new(
        Minion: reader.GetString(3),
        Outcome: MinionOutcomeText.Parse(reader.GetString(4)),
        Ok: reader.GetInt32(5),
        Changed: reader.GetInt32(6),
        WouldChange: reader.GetInt32(11),
        Failed: reader.GetInt32(7),
        States: HighstateJson.ReadFailingStates(reader.GetString(8)),
        Errors: [.. (JsonNode.Parse(reader.GetString(9)) as JsonArray ?? []).Select(node => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "")],
        DurationMs: reader.GetDouble(10),
        Retcode: reader.IsDBNull(12) ? null : reader.GetInt32(12));
}
