namespace Spiro.Cluster;

/// <summary>A master registered in the shared database: its cluster name, host, data directory, last start and when it was last alive (null: stopped).</summary>
public sealed record MasterRecord(string Name, string Host, string Data, DateTimeOffset StartedAt, DateTimeOffset? SeenAt)
{
    /// <summary>Whether it was alive within <paramref name="window"/> of <paramref name="now"/>.</summary>
    public bool LiveAt(DateTimeOffset now, TimeSpan window) => SeenAt is { } seen && now - seen <= window;
}
