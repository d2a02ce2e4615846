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
        var errors = new List<string>();
        ServerOptions? server = null;
        var source = "";
        if (engine is not null)
        {
            server = new ServerOptions { Data = data };
            if (engine.GetValueOrDefault("config") is string file)
            {
                server = ServerConfigFile.Apply(server, file, errors);
            }

            server = EngineKeys(server, engine, errors) with { Data = data };
            source = $"the spiro engine in {config.Where("engines")}";
        }
        else if (File.Exists(StandaloneSettings))
        {
            server = ServerConfigFile.Apply(new ServerOptions(), StandaloneSettings, errors);
            source = $"{StandaloneSettings} (spiro.service)";
        }

        return new DoctorContext
        {
            Config = config,
            DataDirectory = Path.GetFullPath(data),
            MasterUser = config.Scalar("user", "root")!,
            Engine = engine,
            Server = server,
            ServerSource = source,
            ServerErrors = errors,
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

    // The keys the engine turns into `spiro serve` flags (salt/engines/spiro.py, build_argv).
    private static ServerOptions EngineKeys(ServerOptions server, Dictionary<string, object?> engine, List<string> errors)
    {
        if (engine.GetValueOrDefault("port") is string port)
        {
            if (int.TryParse(port.Trim(), out var number) && number is >= 1 and <= 65535)
            {
                server = server with { Port = number };
            }
            else
            {
                errors.Add($"port: '{port}' is not a port number 1-65535 (engine config)");
            }
        }

        return server with
        {
            Host = engine.GetValueOrDefault("host") as string ?? server.Host,
            SslCrt = engine.GetValueOrDefault("ssl_crt") as string ?? server.SslCrt,
            SslKey = engine.GetValueOrDefault("ssl_key") as string ?? server.SslKey,
            SaltCommand = engine.GetValueOrDefault("salt_command") as string ?? server.SaltCommand,
        };
    }
}
