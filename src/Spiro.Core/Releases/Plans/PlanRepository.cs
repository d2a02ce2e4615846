using System.Data.Common;
using Spiro.Core.Metadata;
using Spiro.Core.Names;

namespace Spiro.Core.Releases.Plans;

/// <summary>The <c>plans</c> table: one row per candidate release, kept after it was applied or removed.</summary>
internal sealed class PlanRepository(MetadataDatabase database)
{
    private const string Columns = "id, saltenv, base_release, created, expires, actor, applied_at, removed_at";

    public void Record(PlanRecord plan)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO plans (id, saltenv, base_release, created, expires, actor)
            VALUES (@id, @saltenv, @base, @created, @expires, @actor);
            """;
        command.AddParameter("@id", plan.Id);
        command.AddParameter("@saltenv", plan.SaltEnv.ToString());
        command.AddParameter("@base", (object?)plan.BaseRelease ?? DBNull.Value);
        command.AddParameter("@created", Format(plan.Created));
        command.AddParameter("@expires", Format(plan.Expires));
        command.AddParameter("@actor", plan.Actor);
        command.ExecuteNonQuery();
    }

    public PlanRecord? Find(string id) => Query($"SELECT {Columns} FROM plans WHERE id = @id", ("@id", id)).FirstOrDefault();

    /// <summary>Plans whose candidate is still kept (not applied, not removed), oldest first.</summary>
    public IReadOnlyList<PlanRecord> Pending() =>
        Query($"SELECT {Columns} FROM plans WHERE applied_at IS NULL AND removed_at IS NULL ORDER BY created");

    public void MarkApplied(string id, DateTimeOffset at) => Mark("applied_at", id, at);

    public void MarkRemoved(string id, DateTimeOffset at) => Mark("removed_at", id, at);

    private void Mark(string column, string id, DateTimeOffset at)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE plans SET {column} = @at WHERE id = @id AND applied_at IS NULL AND removed_at IS NULL";
        command.AddParameter("@id", id);
        command.AddParameter("@at", Format(at));
        command.ExecuteNonQuery();
    }

    private List<PlanRecord> Query(string sql, params (string Name, object? Value)[] parameters) => database.Query(sql, Read, parameters);

    private static PlanRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        SaltEnvName.TryParse(reader.GetString(1), out _) ?? throw new InvalidDataException($"bad saltenv in plans row {reader.GetString(0)}"),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        Parse(reader.GetString(3)),
        Parse(reader.GetString(4)),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : Parse(reader.GetString(6)),
        reader.IsDBNull(7) ? null : Parse(reader.GetString(7)));

    private static string Format(DateTimeOffset at) => MetadataTime.Format(at);

    private static DateTimeOffset Parse(string text) => MetadataTime.Parse(text);
}
