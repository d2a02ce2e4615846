namespace Spiro.Core.Releases.Integrity;

/// <summary>What <see cref="StoreIntegrity.Check"/> found.</summary>
/// <param name="HasDatabase">Whether <c>spiro.db</c> exists (no server or verb has written the store yet when false).</param>
/// <param name="SchemaVersion">The database's schema version, or null without a database.</param>
/// <param name="AuditRows">Rows in the audit log.</param>
/// <param name="AuditBroken">The first broken audit row and why, or null when the chain is intact.</param>
/// <param name="LiveReleases">Every live saltenv as <c>project/deployment=release-id</c>.</param>
/// <param name="BrokenLiveReleases">Live saltenvs whose release tree or manifest is missing, each with the path.</param>
public sealed record StoreIntegrityReport(
    bool HasDatabase,
    long? SchemaVersion,
    int AuditRows,
    string? AuditBroken,
    IReadOnlyList<string> LiveReleases,
    IReadOnlyList<string> BrokenLiveReleases);
