using Spiro.Server.Options;

namespace Spiro.Cli.Doctor;

/// <summary>What the checks share: the master config, the resolved data dir, users and the deploy server's settings.</summary>
internal sealed class DoctorContext
{
    /// <summary>The settings file spiro.service reads (the package's conffile).</summary>
    public const string StandaloneSettings = "/etc/spirofs/serve.yaml";

    /// <summary>The user spiro.service runs as (packaging/deb/spiro.service).</summary>
    public const string StandaloneUser = "salt";

    public required SaltMasterConfig Config { get; init; }

    /// <summary>spiro_data (or --data), else &lt;cachedir&gt;/spirofs.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The user salt-master runs as (<c>user</c>, default root).</summary>
    public required string MasterUser { get; init; }

    /// <summary>The <c>spiro</c> engine's keys, or null when no engine named spiro is configured.</summary>
    public required Dictionary<string, object?>? Engine { get; init; }

    /// <summary>
    /// The deploy server's settings as the engine (its keys over its <c>config</c> file) or else
    /// spiro.service (<see cref="StandaloneSettings"/>) would start it; null when neither is set up.
    /// </summary>
    public required ServerOptions? Server { get; init; }

    /// <summary>Where <see cref="Server"/> comes from, for messages.</summary>
    public required string ServerSource { get; init; }

    /// <summary>Problems found while resolving <see cref="Server"/> (each names the key).</summary>
    public required IReadOnlyList<string> ServerErrors { get; init; }

    /// <summary>The user the deploy server runs as: salt-master's for the engine, spiro.service's otherwise.</summary>
    public string ServerUser => Engine is not null ? MasterUser : StandaloneUser;

    /// <summary>The spiro version doing the checking.</summary>
    public required string Version { get; init; }

    public static DoctorContext Create(SaltMasterConfig config, string? dataOverride, string version)
    {
        var cachedir = config.Scalar("cachedir", "/var/cache/salt/master")!;
        var data = dataOverride ?? config.Scalar("spiro_data") ?? Path.Combine(cachedir, "spirofs");
        var engine = FindEngine(config);
        ServerSettingsResult? settings = null;
        var source = "";
        if (engine is not null)
        {
            settings = ServerSettings.Load(new ServerSettingSources
            {
                ConfigFile = engine.GetValueOrDefault("config") as string,
                Flags = EngineFlags(engine, data),
                Environment = _ => null,
            });
            source = $"the spiro engine in {config.Where("engines")}";
        }
        else if (File.Exists(StandaloneSettings))
        {
            settings = ServerSettings.LoadFile(StandaloneSettings);
            source = $"{StandaloneSettings} (spiro.service)";
        }

        return new DoctorContext
        {
            Config = config,
            DataDirectory = Path.GetFullPath(data),
            MasterUser = config.Scalar("user", "root")!,
            Engine = engine,
            Server = settings?.Options,
            ServerSource = source,
            ServerErrors = settings?.Errors ?? [],
            Version = version,
        };
    }

    private static Dictionary<string, object?>? FindEngine(SaltMasterConfig config)
    {
        foreach (var item in config.Options.GetValueOrDefault("engines") as List<object?> ?? [])
        {
            if (item is "spiro")
            {
                return [];
            }

            if (item is Dictionary<string, object?> map && map.TryGetValue("spiro", out var settings))
            {
                return settings as Dictionary<string, object?> ?? [];
            }
        }

        return null;
    }

    // The keys the engine turns into `spiro serve` flags (salt/engines/spiro.py, build_argv), and the data directory it always passes.
    private static Dictionary<string, string> EngineFlags(Dictionary<string, object?> engine, string data)
    {
        string[] passed = ["port", "host", "ssl_crt", "ssl_key", "salt_command", "highstate_timeout", "batch_size", "max_concurrent_deploys", "max_body_size", "keep_releases"];
        var flags = passed
            .Where(key => engine.GetValueOrDefault(key) is string or int or long or bool or double)
            .ToDictionary(key => key, key => Convert.ToString(engine[key], System.Globalization.CultureInfo.InvariantCulture)!.Trim(), StringComparer.Ordinal);
        flags["data"] = data;
        return flags;
    }
}
