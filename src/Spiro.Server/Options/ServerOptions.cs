using Spiro.Core.Bundles;
using Spiro.Core.Releases;
using Spiro.Protocol.Durations;

namespace Spiro.Server.Options;

/// <summary>
/// Settings of <c>spiro serve</c>. Keys in a config file (YAML or JSON) are the snake_case names
/// given on each property; command-line flags override the file.
/// </summary>
public sealed record ServerOptions
{
    /// <summary><c>port</c>: TCP port. Default 4510; 0 picks a free port.</summary>
    public int Port { get; init; } = 4510;

    /// <summary><c>host</c>: address to listen on. Default 0.0.0.0.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary><c>ssl_crt</c>: PEM certificate (chain allowed). With <see cref="SslKey"/> enables HTTPS, TLS 1.2+.</summary>
    public string? SslCrt { get; init; }

    /// <summary><c>ssl_key</c>: PEM private key of <see cref="SslCrt"/>.</summary>
    public string? SslKey { get; init; }

    /// <summary><c>data</c>: data directory (docs/storage.md).</summary>
    public string Data { get; init; } = StoreOptions.DefaultDataDirectory;

    /// <summary>
    /// <c>max_concurrent_deploys</c>: deploys publishing at once; others wait for a slot. A deploy
    /// takes its slot once its bundle is read and checked, so a slow upload holds none. Default 8.
    /// </summary>
    public int MaxConcurrentDeploys { get; init; } = 8;

    /// <summary>
    /// <c>max_deploys_per_project</c>: deploys of one project uploading or publishing at once, so one
    /// project's CI cannot take every place. Default 2.
    /// </summary>
    public int MaxDeploysPerProject { get; init; } = 2;

    /// <summary>
    /// <c>deploy_queue_timeout</c>: how long a deploy past <see cref="MaxDeploysPerProject"/> waits for a
    /// place before it is refused with 503 and Retry-After. Default 30 s.
    /// </summary>
    public TimeSpan DeployQueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>max_body_size</c>: largest request body in bytes (suffixes K, M, G accepted in files and flags). Default 2 GiB + 16 MiB.</summary>
    public long MaxBodySize { get; init; } = (2L << 30) + (16L << 20);

    /// <summary><c>keep_releases</c>: the newest releases kept per saltenv (the live one is kept too when it is older). Default 10.</summary>
    public int KeepReleases { get; init; } = 10;

    /// <summary>
    /// Limits for bundles (keys <c>max_bundle_bytes</c>, <c>max_bundle_file_bytes</c>,
    /// <c>max_bundle_entries</c>). Defaults: the store's.
    /// </summary>
    public BundleLimits BundleLimits { get; init; } = new();

    /// <summary><c>min_request_body_rate</c>: slowest accepted upload in bytes per second (after a 10 s grace). Default 1024.</summary>
    public double MinRequestBodyRate { get; init; } = 1024;

    /// <summary>How long an upload may run below <see cref="MinRequestBodyRate"/> before it is cut off. Default 10 s; not in the config file (tests shorten it).</summary>
    public TimeSpan MinRequestBodyRateGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>keepalive_interval</c>: seconds between SSE keep-alive comments. Default 15.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>shutdown_timeout</c>: how long SIGTERM waits for in-flight deploys before cancelling them. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>salt_command</c>: the <c>salt</c> executable; unset: <c>salt</c> on PATH, or no Salt at all.</summary>
    public string? SaltCommand { get; init; }

    /// <summary><c>salt_config_dir</c>: passed to salt as <c>-c</c>.</summary>
    public string? SaltConfigDir { get; init; }

    /// <summary><c>plan_lifetime</c>: how long a plan's candidate can be applied before retention removes it. Default 24 hours.</summary>
    public TimeSpan PlanLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>highstate_timeout</c>: how long salt waits for minions (<c>salt -t</c>). Default: Salt's own.</summary>
    public TimeSpan? HighstateTimeout { get; init; }

    /// <summary><c>batch_size</c>: highstate this many minions at a time (Salt's <c>--batch-size</c>); unset: all at once.</summary>
    public string? BatchSize { get; init; }

    /// <summary>
    /// The web dashboard under <c>/ui/</c> (keys <c>dashboard</c>: true or false, <c>dashboard_session</c>:
    /// how long a sign-in lasts). Default: on, 8 hours.
    /// </summary>
    public Spiro.Dashboard.DashboardOptions Dashboard { get; init; } = new();

    /// <summary>
    /// <c>cluster</c>: shared PostgreSQL metadata and S3 content (docs/cluster.md). Default: none,
    /// <c>spiro.db</c> and the data directory's objects.
    /// </summary>
    public Spiro.Cluster.ClusterOptions? Cluster { get; init; }

    /// <summary>
    /// <c>projects: {P: {allow_targets: EXPR}}</c> in the config file: the compound expression each
    /// named project's top files are confined to, written into the data directory at every start
    /// (as <c>spiro project set P --allow-targets EXPR</c>; docs/security.md). Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProjectAllowTargets { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether HTTPS is configured.</summary>
    public bool UsesTls => SslCrt is not null || SslKey is not null;

    /// <summary>Every problem with these settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"port: {Port} is not a TCP port (0-65535)");
        }

        if (!System.Net.IPAddress.TryParse(Host, out _) && Host != "localhost" && Host != "*")
        {
            errors.Add($"host: '{Host}' is not an IP address (use 0.0.0.0, ::, 127.0.0.1, ...)");
        }

        if ((SslCrt is null) != (SslKey is null))
        {
            errors.Add(SslCrt is null ? "ssl_crt: required when ssl_key is set" : "ssl_key: required when ssl_crt is set");
        }

        if (string.IsNullOrWhiteSpace(Data))
        {
            errors.Add("data: must name a directory");
        }

        Positive(errors, "max_concurrent_deploys", MaxConcurrentDeploys);
        Positive(errors, "max_deploys_per_project", MaxDeploysPerProject);
        Timer(errors, "deploy_queue_timeout", DeployQueueTimeout);
        Positive(errors, "max_body_size", MaxBodySize);
        Positive(errors, "keep_releases", KeepReleases);
        Positive(errors, "min_request_body_rate", MinRequestBodyRate);
        Timer(errors, "keepalive_interval", KeepAliveInterval);
        Timer(errors, "shutdown_timeout", ShutdownTimeout);
        Positive(errors, "plan_lifetime", PlanLifetime.TotalSeconds);
        if (HighstateTimeout is { } highstateTimeout)
        {
            Timer(errors, "highstate_timeout", highstateTimeout);
        }

        foreach (var (project, allowTargets) in ProjectAllowTargets)
        {
            if ((Spiro.Core.Names.SaltEnvName.ExplainInvalidPart("project", project) ?? Spiro.Core.TopFiles.TargetConfinement.Validate(allowTargets)) is { } bad)
            {
                errors.Add($"projects.{project}.allow_targets: {bad}");
            }
        }

        AtMostTimer(errors, "dashboard_session", Dashboard.SessionLifetime);

        errors.AddRange(Dashboard.Validate());
        if (Cluster is not null)
        {
            errors.AddRange(Cluster.Validate());
        }

        return errors;
    }

    // Whatever set it (file, flag, engine key, code), a duration a timer waits on must be one .NET's timers take.
    private static void Timer(List<string> errors, string key, TimeSpan value)
    {
        Positive(errors, key, value.TotalSeconds);
        AtMostTimer(errors, key, value);
    }

    private static void AtMostTimer(List<string> errors, string key, TimeSpan value)
    {
        if (value > DurationText.MaxTimer)
        {
            errors.Add($"{key}: at most {DurationText.MaxTimer.TotalDays:0} days (got {value.TotalDays:0.#} days)");
        }
    }

    private static void Positive(List<string> errors, string key, double value)
    {
        if (value <= 0)
        {
            errors.Add($"{key}: must be positive (got {value})");
        }
    }
}
