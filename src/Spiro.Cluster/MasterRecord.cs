namespace Spiro.Cluster;

/// <summary>A master registered in the shared database: its cluster name, host, data directory and last start.</summary>
public sealed record MasterRecord(string Name, string Host, string Data, DateTimeOffset StartedAt);
