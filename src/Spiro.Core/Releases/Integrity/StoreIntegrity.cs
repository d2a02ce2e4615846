using Microsoft.Data.Sqlite;
using Spiro.Core.Metadata;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Integrity;

/// <summary>
/// Read-only integrity check of a data directory: the audit log's hash chain and, for every live
/// saltenv, the release tree and manifest the Salt adapter needs (docs/storage.md). Opens the
/// database read-only and migrates nothing, so it is safe next to a server of another version.
/// </summary>
public static class StoreIntegrity
{
    /// <summary>Checks <paramref name="dataDirectory"/>; a missing <c>spiro.db</c> is an empty store.</summary>
    public static StoreIntegrityReport Check(string dataDirectory)
    {
        var layout = new StoreLayout(dataDirectory);
        var live = new List<string>();
        var broken = new List<string>();
        foreach (var (saltEnv, id) in layout.LivePointers())
        {
            live.Add($"{saltEnv}={id}");
            if (!File.Exists(layout.Manifest(id)))
            {
                broken.Add($"{saltEnv}: live release {id} has no manifest (manifests/{id}.json)");
            }
            else if (!Directory.Exists(layout.ReleaseTree(id)))
            {
                broken.Add($"{saltEnv}: live release {id} has no tree (releases/{id}/)");
            }
        }

        if (!File.Exists(layout.Database))
        {
            return new StoreIntegrityReport(false, null, 0, null, live, broken);
        }

        var database = MetadataDatabase.OpenReadOnly(layout.Database);
        try
        {
            var schema = database.SchemaVersion();
            var audit = new AuditLog(database, TimeProvider.System);
            return new StoreIntegrityReport(true, schema, audit.Read().Count, audit.Verify(), live, broken);
        }
        finally
        {
            // Close the pooled read-only connections now, so the caller sees every file they made.
            SqliteConnection.ClearAllPools();
        }
    }
}
