namespace Spiro.Cluster.Import;

/// <summary>
/// One table of <c>spiro.db</c> that <c>spiro cluster import</c> copies into PostgreSQL, with how:
/// <paramref name="Identity"/> names a column PostgreSQL generates, copied as it is (so release
/// order, history order and deploy order stay the single master's) and its sequence moved past it;
/// <paramref name="KeepExisting"/> keeps a row the cluster already has (settings a master wrote at
/// start-up) instead of refusing it.
/// </summary>
internal sealed record ImportedTable(string Name, string? Identity = null, bool KeepExisting = false)
{
    /// <summary>Every table of <c>spiro.db</c> (schema version 8), parents before children; a table not listed here stops the import.</summary>
    public static readonly IReadOnlyList<ImportedTable> All =
    [
        new("audit_log"),
        new("releases", Identity: "seq"),
        new("release_history", Identity: "seq"),
        new("highstate_results", Identity: "id"),
        new("tokens"),
        new("deploys", Identity: "rowid"),
        new("deploy_events"),
        new("plans"),
        new("settings", KeepExisting: true),
    ];
}
