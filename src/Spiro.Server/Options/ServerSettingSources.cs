namespace Spiro.Server.Options;

/// <summary>
/// Where the settings of <c>spiro serve</c> come from. Highest first: flags, then the environment,
/// then the config file; a key none of them sets keeps its <see cref="ServerOptions"/> default.
/// </summary>
public sealed record ServerSettingSources
{
    /// <summary><c>--config FILE</c>: YAML or JSON with the snake_case keys; null for none.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Values given as flags, by config-file key (<c>max_body_size</c>), as typed.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Reads an environment variable (<c>SPIRO_DATA</c>, ...); empty values count as unset. Default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
