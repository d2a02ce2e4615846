namespace Spiro.Server.Options;

/// <summary>
/// Loads <c>spiro serve</c>'s settings in one place: defaults, config file, environment, flags (each
/// later one wins), then validates them. Every error names its key and where the value came from.
/// Admin verbs that read a server config file (<c>--config</c>) load it through here too, so a file
/// means the same thing to the server and to them.
/// </summary>
public static class ServerSettings
{
    /// <summary>The merged, validated settings of <paramref name="sources"/>.</summary>
    public static ServerSettingsResult Load(ServerSettingSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<string>();
        var options = new ServerOptions();
        if (sources.ConfigFile is { } file)
        {
            options = ServerConfigFile.Apply(options, file, errors);
        }

        foreach (var setting in ServerSettingKeys.All)
        {
            if (sources.Environment(setting.Variable) is { Length: > 0 } value)
            {
                options = setting.ApplyOrExplain(options, value, "environment " + setting.Variable, errors);
            }
        }

        foreach (var (key, value) in sources.Flags)
        {
            options = ServerSettingKeys.Find(key) is { } setting
                ? setting.ApplyOrExplain(options, value, "flag " + setting.Flag, errors)
                : Unknown(options, key, errors);
        }

        errors.AddRange(options.Validate());
        return new ServerSettingsResult(options, errors);
    }

    /// <summary>The settings of one config file over the defaults (no environment, no flags), validated.</summary>
    public static ServerSettingsResult LoadFile(string path) =>
        Load(new ServerSettingSources { ConfigFile = path, Environment = _ => null });

    private static ServerOptions Unknown(ServerOptions options, string key, List<string> errors)
    {
        errors.Add($"{key}: unknown setting");
        return options;
    }
}
