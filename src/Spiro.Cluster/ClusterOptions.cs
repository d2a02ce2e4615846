using Spiro.Cluster.Objects;

namespace Spiro.Cluster;

/// <summary>
/// The <c>cluster:</c> section of the server config file (docs/cluster.md): where the shared
/// metadata and content live. Without it nothing changes: <c>spiro.db</c> and the local objects.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary><c>database</c>: an Npgsql connection string for the shared PostgreSQL.</summary>
    public string Database { get; init; } = "";

    /// <summary><c>objects</c>: the shared S3-compatible bucket.</summary>
    public S3ContentOptions Objects { get; init; } = new();

    /// <summary><c>name</c>: this master's name in the cluster. Default: the host name.</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>
    /// <c>apply_timeout</c>: how long a deploy waits for every live master to serve its release
    /// before it fails naming the masters that did not (the highstate runs only once all do). Default 2 minutes.
    /// </summary>
    public TimeSpan ApplyTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Every problem, each naming its key under <c>cluster</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Database))
        {
            errors.Add("cluster.database: required (an Npgsql connection string: Host=...;Database=...)");
        }
        else
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(Database);
            }
            catch (ArgumentException exception)
            {
                errors.Add($"cluster.database: not a connection string ({exception.Message})");
            }
        }

        if (Name.Length is 0 or > 64 || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"cluster.name: '{Name}' must be 1-64 of A-Z a-z 0-9 - _ .");
        }

        if (ApplyTimeout < TimeSpan.FromSeconds(1) || ApplyTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"cluster.apply_timeout: {ApplyTimeout} must be between 1 second and 1 day");
        }

        errors.AddRange(Objects.Validate());
        return errors;
    }
}
