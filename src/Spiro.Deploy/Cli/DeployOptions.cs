namespace Spiro.Deploy.Cli;

/// <summary>A validated command line.</summary>
internal sealed record DeployOptions
{
    public required string Project { get; init; }

    public required string Deployment { get; init; }

    public required bool Highstate { get; init; }

    /// <summary>Highstate with <c>test=True</c> (v1 only; the compatible endpoint has no dry run).</summary>
    public required bool Test { get; init; }

    /// <summary>Expected minions that do not return do not fail the deploy (sent as <c>tolerate_missing</c> on the v1 API).</summary>
    public bool TolerateMissing { get; init; }

    /// <summary>Upload as a plan: the release is stored as a candidate, not live (<c>POST /api/v1/plans</c>).</summary>
    public bool Plan { get; init; }

    /// <summary>Apply this plan's candidate instead of uploading (<c>POST /api/v1/plans/{id}/apply</c>).</summary>
    public string? ApplyPlanId { get; init; }

    /// <summary>Apply even when the live release moved since the plan was made.</summary>
    public bool Force { get; init; }

    public required IReadOnlyList<string> Artifacts { get; init; }

    /// <summary>null, <c>git</c> or <c>fs</c>.</summary>
    public required string? IncludeSource { get; init; }

    public required string Token { get; init; }

    public required Uri Server { get; init; }

    public required bool Insecure { get; init; }

    public required string? SslCertificate { get; init; }

    /// <summary>Absolute project (repository) directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Salt directory relative to the project, as given.</summary>
    public required string SaltDirectory { get; init; }

    /// <summary>Overall time limit, or null for none.</summary>
    public required TimeSpan? Timeout { get; init; }

    /// <summary>What <c>--compress</c> asked for; settled against the server by <c>CompressionNegotiation</c>.</summary>
    public CompressionChoice Compress { get; init; }

    public required bool Json { get; init; }

    public required bool Verbose { get; init; }

    public required bool NoColor { get; init; }

    /// <summary>Reuse hashes of unchanged files from the project's <c>.spiro-deploy/hash-cache</c> (off with <c>--no-hash-cache</c>).</summary>
    public bool HashCache { get; init; } = true;
}
