using System.Globalization;

namespace Spiro.Server.Options;

/// <summary>
/// Every scalar setting of <c>spiro serve</c> (docs/api.md, Settings), the one table the config file,
/// the environment and the flags are read through. Defaults are <see cref="ServerOptions"/>'s.
/// The mappings <c>cluster:</c> and <c>projects:</c> are file-only (<see cref="ServerConfigFile"/>).
/// </summary>
public static class ServerSettingKeys
{
    private const string Port = "a port number";
    private const string Count = "a whole number";

    /// <summary>In the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<ServerSetting> All { get; } =
    [
        new("port", Port, "TCP port (default 4510; 0 picks a free port).", (o, v) => Whole(v) is { } n ? o with { Port = n } : null),
        new("host", "", "Address to listen on (default 0.0.0.0).", (o, v) => o with { Host = v }),
        new("ssl_crt", "", "PEM certificate (chain allowed); with --ssl-key enables HTTPS, TLS 1.2+.", (o, v) => o with { SslCrt = Blank(v) }),
        new("ssl_key", "", "PEM private key of --ssl-crt.", (o, v) => o with { SslKey = Blank(v) }),
        new("data", "", "Data directory (docs/storage.md).", (o, v) => o with { Data = v }),
        new("max_concurrent_deploys", Count, "Deploys publishing at once (default 8).", (o, v) => Whole(v) is { } n ? o with { MaxConcurrentDeploys = n } : null),
        new("max_deploys_per_project", Count, "Deploys of one project uploading or publishing at once (default 2).", (o, v) => Whole(v) is { } n ? o with { MaxDeploysPerProject = n } : null),
        new("deploy_queue_timeout", "a duration (e.g. 30s)", "How long a deploy over its project's limit waits before 503 (default 30s).", (o, v) => Duration(v) is { } d ? o with { DeployQueueTimeout = d } : null),
        new("max_body_size", "a size (e.g. 2G)", "Largest upload, e.g. 2G (default 2G + 16M).", (o, v) => ConfigValues.ParseSize(v) is { } s ? o with { MaxBodySize = s } : null),
        new("keep_releases", Count, "Newest releases kept per saltenv; the live one is kept too when older (default 10).", (o, v) => Whole(v) is { } n ? o with { KeepReleases = n } : null),
        new("max_bundle_bytes", "a size (e.g. 2G)", "Largest unpacked bundle (default: the store's).", (o, v) => ConfigValues.ParseSize(v) is { } s ? o with { BundleLimits = o.BundleLimits with { MaxTotalBytes = s } } : null),
        new("max_bundle_file_bytes", "a size (e.g. 1G)", "Largest file in a bundle (default: the store's).", (o, v) => ConfigValues.ParseSize(v) is { } s ? o with { BundleLimits = o.BundleLimits with { MaxFileBytes = s } } : null),
        new("max_bundle_entries", Count, "Most entries in a bundle (default: the store's).", (o, v) => Whole(v) is { } n ? o with { BundleLimits = o.BundleLimits with { MaxEntries = n } } : null),
        new("min_request_body_rate", "bytes per second", "Slowest accepted upload in bytes/s after a 10 s grace (default 1024).", (o, v) => ConfigValues.ParseSize(v) is { } r ? o with { MinRequestBodyRate = r } : null),
        new("keepalive_interval", "a duration (e.g. 15s)", "SSE keep-alive interval (default 15s).", (o, v) => Duration(v) is { } d ? o with { KeepAliveInterval = d } : null),
        new("shutdown_timeout", "a duration (e.g. 30s)", "On SIGTERM, how long running highstates may finish (default 30s).", (o, v) => Duration(v) is { } d ? o with { ShutdownTimeout = d } : null),
        new("plan_lifetime", "a duration (e.g. 24h)", "How long a plan's candidate can be applied (default 24h).", (o, v) => Duration(v) is { } d ? o with { PlanLifetime = d } : null),
        new("highstate_timeout", "a duration (e.g. 10m)", "How long to wait for minions, e.g. 10m (default: Salt's).", (o, v) => Duration(v) is { } d ? o with { HighstateTimeout = d } : null),
        new("dashboard", "true or false", "The web dashboard under /ui/ (default true).", (o, v) => ConfigValues.ParseBool(v) is { } b ? o with { Dashboard = o.Dashboard with { Enabled = b } } : null),
        new("dashboard_session", "a duration (e.g. 8h)", "How long a dashboard sign-in lasts (default 8h).", (o, v) => Duration(v) is { } d ? o with { Dashboard = o.Dashboard with { SessionLifetime = d } } : null),
        new("salt_command", "", "The salt executable (default: salt on PATH, else no Salt).", (o, v) => o with { SaltCommand = Blank(v) }),
        new("salt_config_dir", "", "Salt's config directory (salt -c).", (o, v) => o with { SaltConfigDir = Blank(v) }),
        new("batch_size", "", "Highstate this many minions at a time (salt --batch-size).", (o, v) => o with { BatchSize = Blank(v) }),
    ];

    private static readonly Dictionary<string, ServerSetting> ByKey = All.ToDictionary(setting => setting.Key, StringComparer.Ordinal);

    /// <summary>The setting with config-file key <paramref name="key"/>, or null when there is none.</summary>
    public static ServerSetting? Find(string key) => ByKey.GetValueOrDefault(key);

    private static int? Whole(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static TimeSpan? Duration(string text) => ConfigValues.ParseDuration(text);

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
