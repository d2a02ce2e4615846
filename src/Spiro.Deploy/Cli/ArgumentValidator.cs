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

        // Each step names the first thing wrong, in the order a user fixes them: names, credentials, paths, flags.
        var token = (raw.Token ?? getVariable("SPIRO_TOKEN") ?? string.Empty).Trim();
        var projectDirectory = Path.GetFullPath(raw.ProjectDirectory);
        Uri? server = null;
        string? includeSource = null;
        TimeSpan? timeout = null;
        var compress = CompressionChoice.Auto;
        var error = NameError("project", raw.Project)
            ?? NameError("deployment", raw.Deployment)
            ?? (token.Length == 0 ? "no token: pass --token TOKEN or set SPIRO_TOKEN (issue one on the master with `spiro token issue PROJECT`)" : null)
            ?? ServerError(raw, getVariable, out server)
            ?? PlanError(raw)
            ?? PathError(raw, projectDirectory)
            ?? IncludeSourceError(raw, out includeSource)
            ?? CertificateError(raw)
            ?? HighstateError(raw)
            ?? TimeoutError(raw, out timeout)
            ?? CompressError(raw, out compress)
            ?? BundleError(raw, projectDirectory, includeSource);
        return error is not null
            ? ValidationResult.Fail(error)
            : ValidationResult.Ok(Options(raw, getVariable, token, server!, projectDirectory, includeSource, timeout, compress));
    }

    private static DeployOptions Options(RawArguments raw, Func<string, string?> getVariable, string token, Uri server, string projectDirectory, string? includeSource, TimeSpan? timeout, CompressionChoice compress) => new()
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
        Compress = compress,
        Json = raw.Json,
        Verbose = raw.Verbose,
        NoColor = raw.NoColor || !string.IsNullOrEmpty(getVariable("NO_COLOR")),
        HashCache = !raw.NoHashCache,
    };

    private static string? ServerError(RawArguments raw, Func<string, string?> getVariable, out Uri? server)
    {
        var serverText = (raw.Server ?? NonEmpty(getVariable("SPIRO_URL")) ?? DefaultServer).Trim();
        if (Uri.TryCreate(serverText, UriKind.Absolute, out server) && (server.Scheme == Uri.UriSchemeHttp || server.Scheme == Uri.UriSchemeHttps))
        {
            return null;
        }

        return $"bad server URL '{serverText}': pass --server or set SPIRO_URL to an http:// or https:// URL such as {DefaultServer}";
    }

    /// <summary>The project directory, its salt directory and every artifact must exist; an apply bundles nothing.</summary>
    private static string? PathError(RawArguments raw, string projectDirectory)
    {
        if (raw.Apply is not null)
        {
            return null;
        }

        if (!Directory.Exists(projectDirectory))
        {
            return $"project directory '{raw.ProjectDirectory}' does not exist: pass --project-dir or run from the repository root";
        }

        if (!Directory.Exists(Path.Combine(projectDirectory, raw.SaltDirectory)))
        {
            return $"no salt directory '{raw.SaltDirectory}' in {projectDirectory}: run from the repository root, create it, or pass --salt-dir DIR";
        }

        return raw.Artifacts.FirstOrDefault(a => !File.Exists(Path.Combine(projectDirectory, a)) && !Directory.Exists(Path.Combine(projectDirectory, a))) is { } missing
            ? $"artifact '{missing}' does not exist in {projectDirectory}: build it first or fix the --artifact path"
            : null;
    }

    private static string? IncludeSourceError(RawArguments raw, out string? includeSource)
    {
        includeSource = null;
        if (!raw.IncludeSourceGiven)
        {
            return null;
        }

        includeSource = (raw.IncludeSource ?? "git").ToLowerInvariant() switch
        {
            "git" => "git",
            "fs" or "filesystem" => "fs",
            _ => null,
        };
        return includeSource is null ? $"--include-source takes git or fs, not '{raw.IncludeSource}'" : null;
    }

    private static string? CertificateError(RawArguments raw) =>
        raw.SslCertificate is { } cert && !File.Exists(cert)
            ? $"--ssl-cert file '{cert}' does not exist: pass the CA or server certificate (PEM or DER)"
            : null;

    private static string? HighstateError(RawArguments raw) => raw switch
    {
        { Highstate: true, NoHighstate: true } => "--highstate and --no-highstate contradict each other: give one (highstating is the default)",
        { Test: true, NoHighstate: true } => "--test runs a dry-run highstate: it cannot be combined with --no-highstate",
        _ => null,
    };

    private static string? TimeoutError(RawArguments raw, out TimeSpan? timeout)
    {
        timeout = raw.Timeout is { } text ? ParseDuration(text) : null;
        return raw.Timeout is { } given && timeout is null ? $"bad --timeout '{given}': give {DurationText.Forms}" : null;
    }

    private static string? CompressError(RawArguments raw, out CompressionChoice compress)
    {
        CompressionChoice? choice = (raw.Compress ?? "auto").ToLowerInvariant() switch
        {
            "auto" => CompressionChoice.Auto,
            "none" => CompressionChoice.None,
            "gzip" => CompressionChoice.Gzip,
            "zstd" => CompressionChoice.Zstd,
            _ => null,
        };
        compress = choice ?? CompressionChoice.Auto;
        return choice is null ? $"--compress takes auto, gzip, zstd or none, not '{raw.Compress}'" : null;
    }

    /// <summary>The builder's own rules (e.g. an artifact outside the project) are usage errors too.</summary>
    private static string? BundleError(RawArguments raw, string projectDirectory, string? includeSource) =>
        raw.Apply is null && BundleBuilder.Validate(new BundleSpec(projectDirectory, raw.SaltDirectory, raw.Artifacts, includeSource, null)) is { } problem
            ? $"cannot bundle: {problem}"
            : null;

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
