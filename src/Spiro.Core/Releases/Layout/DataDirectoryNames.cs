namespace Spiro.Core.Releases.Layout;

/// <summary>
/// The names of the data directory's top entries (docs/storage.md) for the readers outside the
/// store (the admin CLI, <c>spiro doctor</c>, the highstate query). The database name is spelled
/// only here; <see cref="StoreLayout"/> still names its directories itself (the list below must
/// match it, which DataDirectoryNamesTests checks).
/// </summary>
public static class DataDirectoryNames
{
    /// <summary>The metadata database (SQLite).</summary>
    public const string Database = "spiro.db";

    /// <summary>SQLite's write-ahead log and shared-memory files beside <see cref="Database"/>.</summary>
    public static readonly IReadOnlyList<string> DatabaseSideFiles = [Database + "-wal", Database + "-shm"];

    /// <summary>The directories the store creates, in the order docs/storage.md lists them.</summary>
    public static readonly IReadOnlyList<string> Directories = ["objects", "releases", "manifests", "envs", "staging", "locks", "plans"];

    /// <summary>The path of the metadata database in <paramref name="dataDirectory"/>.</summary>
    public static string DatabaseIn(string dataDirectory) => Path.Combine(dataDirectory, Database);
}
