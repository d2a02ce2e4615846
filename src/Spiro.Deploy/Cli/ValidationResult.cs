namespace Spiro.Deploy.Cli;

/// <summary>Validated options, or the usage error to print.</summary>
internal sealed record ValidationResult(DeployOptions? Options, string? Error)
{
    public static ValidationResult Ok(DeployOptions options) => new(options, null);

    public static ValidationResult Fail(string error) => new(null, error);
}
