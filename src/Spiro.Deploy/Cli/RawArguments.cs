namespace Spiro.Deploy.Cli;

/// <summary>The command line as parsed, before validation against the environment.</summary>
internal sealed record RawArguments
{
    public string? Project { get; init; }

    public string? Deployment { get; init; }

    /// <summary><c>--highstate</c>: the default said out loud; only a contradiction with <see cref="NoHighstate"/> changes anything.</summary>
    public bool Highstate { get; init; }

    public bool NoHighstate { get; init; }

    public bool Test { get; init; }

    public bool TolerateMissing { get; init; }

    public bool Plan { get; init; }

    /// <summary><c>--apply PLAN_ID</c> as given.</summary>
    public string? Apply { get; init; }

    public bool Force { get; init; }

    public IReadOnlyList<string> Artifacts { get; init; } = [];

    /// <summary>Whether <c>--include-source</c> was given, and its value (null when bare).</summary>
    public bool IncludeSourceGiven { get; init; }

    public string? IncludeSource { get; init; }

    public string? Token { get; init; }

    public string? Server { get; init; }

    public bool Insecure { get; init; }

    public string? SslCertificate { get; init; }

    public string ProjectDirectory { get; init; } = ".";

    public string SaltDirectory { get; init; } = "_salt";

    public string? Timeout { get; init; }

    /// <summary><c>--compress</c> as given (null: auto).</summary>
    public string? Compress { get; init; }

    public bool Json { get; init; }

    public bool Verbose { get; init; }

    public bool NoColor { get; init; }

    public bool NoHashCache { get; init; }
}
