using System.Text.RegularExpressions;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Durations;

namespace Spiro.Deploy.Cli;

/// <summary>
/// Turns the parsed command line plus the environment into <see cref="DeployOptions"/>, or a usage
/// error that says what to do. Pure apart from checking that named paths exist.
/// </summary>
internal static partial class ArgumentValidator
{
    public const string DefaultServer = "https://salt:4510/";

    private const string NameRule = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    [GeneratedRegex(NameRule, RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlanIdPattern();

    public static ValidationResult Validate(RawArguments raw, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(getVariable);

        if (NameError("project", raw.Project) is { } projectError)
        {
            return ValidationResult.Fail(projectError);
        }

        if (NameError("deployment", raw.Deployment) is { } deploymentError)
        {
            return ValidationResult.Fail(deploymentError);
        }

        var token = (raw.Token ?? getVariable("SPIRO_TOKEN") ?? string.Empty).Trim();
        if (token.Length == 0)
        {
            return ValidationResult.Fail("no token: pass --token TOKEN or set SPIRO_TOKEN (issue one on the master with `spiro token issue PROJECT`)");
        }

        var serverText = (raw.Server ?? NonEmpty(getVariable("SPIRO_URL")) ?? DefaultServer).Trim();
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            return ValidationResult.Fail($"bad server URL '{serverText}': pass --server or set SPIRO_URL to an http:// or https:// URL such as {DefaultServer}");
        }

        if (PlanError(raw) is { } planError)
        {
            return ValidationResult.Fail(planError);
        }

        var projectDirectory = Path.GetFullPath(raw.ProjectDirectory);
        if (raw.Apply is not null)
        {
            // Nothing is bundled: the plan's candidate goes live as it was uploaded.
        }
        else if (!Directory.Exists(projectDirectory))
        {
            return ValidationResult.Fail($"project directory '{raw.ProjectDirectory}' does not exist: pass --project-dir or run from the repository root");
        }

        var saltDirectory = Path.Combine(projectDirectory, raw.SaltDirectory);
        if (raw.Apply is null && !Directory.Exists(saltDirectory))
        {
            return ValidationResult.Fail($"no salt directory '{raw.SaltDirectory}' in {projectDirectory}: run from the repository root, create it, or pass --salt-dir DIR");
        }

        foreach (var artifact in raw.Apply is null ? raw.Artifacts : [])
        {
            var full = Path.Combine(projectDirectory, artifact);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return ValidationResult.Fail($"artifact '{artifact}' does not exist in {projectDirectory}: build it first or fix the --artifact path");
            }
        }

        string? includeSource = null;
        if (raw.IncludeSourceGiven)
        {
            includeSource = (raw.IncludeSource ?? "git").ToLowerInvariant() switch
            {
                "git" => "git",
                "fs" or "filesystem" => "fs",
                _ => null,
            };
            if (includeSource is null)
            {
                return ValidationResult.Fail($"--include-source takes git or fs, not '{raw.IncludeSource}'");
            }
        }

        if (raw.SslCertificate is { } cert && !File.Exists(cert))
        {
            return ValidationResult.Fail($"--ssl-cert file '{cert}' does not exist: pass the CA or server certificate (PEM or DER)");
        }

        if (raw.Test && raw.NoHighstate)
        {
            return ValidationResult.Fail("--test runs a dry-run highstate: it cannot be combined with --no-highstate");
        }

        TimeSpan? timeout = null;
        if (raw.Timeout is { } timeoutText)
        {
            timeout = ParseDuration(timeoutText);
            if (timeout is null)
            {
                return ValidationResult.Fail($"bad --timeout '{timeoutText}': give {DurationText.Forms}");
            }
        }

        var compress = (raw.Compress ?? "auto").ToLowerInvariant() switch
        {
            "auto" => CompressionChoice.Auto,
            "none" => CompressionChoice.None,
            "gzip" => CompressionChoice.Gzip,
            "zstd" => CompressionChoice.Zstd,
            _ => (CompressionChoice?)null,
        };
        if (compress is null)
        {
            return ValidationResult.Fail($"--compress takes auto, gzip, zstd or none, not '{raw.Compress}'");
        }

        // The builder's own rules (e.g. an artifact outside the project) are usage errors too.
        if (raw.Apply is null && BundleBuilder.Validate(new BundleSpec(projectDirectory, raw.SaltDirectory, raw.Artifacts, includeSource, null)) is { } bundleProblem)
        {
            return ValidationResult.Fail($"cannot bundle: {bundleProblem}");
        }

        return ValidationResult.Ok(new DeployOptions
        {
            Project = raw.Project!,
            Deployment = raw.Deployment!,
            Highstate = !raw.NoHighstate,
            Test = raw.Test,
            TolerateMissing = raw.TolerateMissing,
            Plan = raw.Plan,
            ApplyPlanId = raw.Apply,
            Force = raw.Force,
            Artifacts = raw.Artifacts,
            IncludeSource = includeSource,
            Token = token,
            Server = server,
            Insecure = raw.Insecure,
            SslCertificate = raw.SslCertificate is null ? null : Path.GetFullPath(raw.SslCertificate),
            ProjectDirectory = projectDirectory,
            SaltDirectory = raw.SaltDirectory,
            Timeout = timeout,
            Compress = compress.Value,
            Json = raw.Json,
            Verbose = raw.Verbose,
            NoColor = raw.NoColor || !string.IsNullOrEmpty(getVariable("NO_COLOR")),
            HashCache = !raw.NoHashCache,
        });
    }

    /// <summary>A duration in the one syntax of every SpiroFS setting (<see cref="DurationText"/>); null when unreadable or not positive.</summary>
    public static TimeSpan? ParseDuration(string text) => DurationText.TryParse(text, "--timeout", out _);

    private static string? NameError(string what, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"missing {what}: usage is spiro-deploy [options] PROJECT DEPLOYMENT";
        }

        return NamePattern().IsMatch(value) ? null : $"bad {what} name '{value}': names must match {NameRule}";
    }

    private static string? PlanError(RawArguments raw)
    {
        if (raw.Plan && raw.Apply is not null)
        {
            return "--plan uploads a candidate and --apply makes one live: give one of them";
        }

        if (raw.Force && raw.Apply is null)
        {
            return "--force only goes with --apply PLAN_ID (apply although the live release moved since the plan)";
        }

        if (raw.Apply is { } id && !PlanIdPattern().IsMatch(id))
        {
            return $"bad plan id '{id}': --apply takes the id a --plan run printed (Plan YYYYMMDDTHHMMSSZ-xxxxxxxx)";
        }

        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
