using Microsoft.Data.Sqlite;
using Spiro.Core.Metadata;
using Spiro.Core.Releases.Integrity;
using Spiro.Core.Releases.Layout;

namespace Spiro.Cli.Doctor;

/// <summary>The store's integrity: the audit log's hash chain and a release tree and manifest for every live saltenv.</summary>
internal static class StoreCheck
{
    private static readonly IReadOnlyList<string> SqliteSideFiles = DataDirectoryNames.DatabaseSideFiles;

    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var directory = context.DataDirectory;
        if (!Directory.Exists(directory))
        {
            yield return DoctorFinding.Warn("store", $"not checked: {directory} does not exist", "see spiro_data above");
            yield break;
        }

        StoreIntegrityReport report;
        string? failure = null;
        try
        {
            report = CheckKeepingOwners(directory);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            report = new StoreIntegrityReport(false, null, 0, null, [], []);
            failure = e.Message;
        }

        if (failure is not null)
        {
            yield return DoctorFinding.Fail("audit", $"cannot read {DataDirectoryNames.DatabaseIn(directory)}: {failure}", $"run spiro doctor as root or as {context.ServerUser}");
        }
        else if (!report.HasDatabase)
        {
            yield return DoctorFinding.Ok("audit", "no spiro.db yet: the store is empty until the deploy server first starts");
        }
        else if (report.AuditBroken is { } broken)
        {
            yield return DoctorFinding.Fail("audit", $"audit chain broken: {broken}",
                "the audit log was changed outside SpiroFS: keep this spiro.db for investigation (spiro audit --json lists the rows) and restore it from a backup");
        }
        else if (report.SchemaVersion > MetadataDatabase.CurrentSchemaVersion)
        {
            yield return DoctorFinding.Warn("audit", $"audit chain intact ({report.AuditRows} rows); spiro.db has schema {report.SchemaVersion}, newer than this spiro ({MetadataDatabase.CurrentSchemaVersion})",
                "a newer spiro wrote this store: install that version again");
        }
        else
        {
            var migrate = report.SchemaVersion < MetadataDatabase.CurrentSchemaVersion ? $"; schema {report.SchemaVersion} migrates to {MetadataDatabase.CurrentSchemaVersion} when this version's server starts" : "";
            yield return DoctorFinding.Ok("audit", $"audit chain intact ({report.AuditRows} rows){migrate}");
        }

        if (report.BrokenLiveReleases.Count > 0)
        {
            yield return DoctorFinding.Fail("manifests", $"Salt cannot serve {string.Join("; ", report.BrokenLiveReleases)}",
                "make a kept release live again (spiro rollback P/D) or deploy the saltenv again");
        }
        else
        {
            yield return DoctorFinding.Ok("manifests", $"{report.LiveReleases.Count} live saltenv(s), each with its release tree and manifest");
        }
    }

    // Even a read-only SQLite reader may create spiro.db-wal/-shm; made by root they would lock the
    // server (another user) out of its own database, so they get the database's owner.
    private static StoreIntegrityReport CheckKeepingOwners(string directory)
    {
        var database = DataDirectoryNames.DatabaseIn(directory);
        var before = SqliteSideFiles.Where(file => File.Exists(Path.Combine(directory, file))).ToHashSet();
        try
        {
            return StoreIntegrity.Check(directory);
        }
        finally
        {
            if (UnixAccess.OwnerOf(database) is { } owner)
            {
                foreach (var file in SqliteSideFiles.Except(before).Select(file => Path.Combine(directory, file)).Where(File.Exists))
                {
                    UnixAccess.GiveTo(file, owner);
                }
            }
        }
    }
}
