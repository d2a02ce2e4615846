using System.Data.Common;

namespace Spiro.Core.Metadata;

/// <summary>
/// The migration loop both metadata engines share (SQLite's <c>Migrations</c>, PostgreSQL's in
/// Spiro.Cluster): the steps after the version reached, in order, each followed by the engine's own
/// record of the version, inside the transaction the caller holds. Each engine keeps its own SQL,
/// its own way to lock and to read the version.
/// </summary>
public static class SchemaSteps
{
    /// <summary>Applies <paramref name="steps"/> after version <paramref name="current"/>; refuses a database newer than this build.</summary>
    /// <param name="recordVersion">The statement that records version N (<c>PRAGMA user_version = N</c>, an insert).</param>
    public static void Apply(DbConnection connection, IReadOnlyList<string> steps, int current, Func<int, string> recordVersion)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(recordVersion);
        if (current > steps.Count)
        {
            throw new InvalidOperationException(
                $"database schema version {current} is newer than this spiro supports ({steps.Count}); upgrade spiro");
        }

        for (var version = current + 1; version <= steps.Count; version++)
        {
            using var step = connection.CreateCommand();
            step.CommandText = steps[version - 1] + "\n" + recordVersion(version);
            step.ExecuteNonQuery();
        }
    }
}
