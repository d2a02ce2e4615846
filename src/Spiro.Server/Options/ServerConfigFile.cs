using System.Globalization;
using Spiro.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Spiro.Server.Options;

/// <summary>
/// Reads <c>--config FILE</c> (YAML, or JSON which YAML parses too) onto <see cref="ServerOptions"/>.
/// Values may be strings (Salt passes engine settings as written: <c>port: "4510"</c>).
/// </summary>
public static class ServerConfigFile
{
    private const long MaxConfigBytes = 1L << 20;

    private static readonly YamlLimits ConfigLimits = new() { MaxDepth = 8, MaxNodes = 10_000, MaxScalarChars = 1L << 20 };

    /// <summary>Applies the file's keys to <paramref name="options"/>; errors name the file and the key.</summary>
    public static ServerOptions Apply(ServerOptions options, string path, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"config: file '{path}' does not exist");
            return options;
        }

        // Settings are a flat mapping: bounded like every YAML spiro reads, so no file can make the loader recurse or expand aliases without end.
        if (new FileInfo(path).Length > MaxConfigBytes)
        {
            errors.Add($"config: '{path}' is larger than {MaxConfigBytes >> 20} MiB");
            return options;
        }

        var text = File.ReadAllText(path);
        if (YamlBounds.Check(text, ConfigLimits) is { } violation)
        {
            errors.Add($"config: '{path}' line {violation.Line} column {violation.Column}: {violation.Message}");
            return options;
        }

        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));

            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
            if (root is null && stream.Documents.Count > 0)
            {
                errors.Add($"config: '{path}' must hold a mapping of settings");
                return options;
            }
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add($"config: '{path}' line {e.Start.Line} column {e.Start.Column}: {e.Message}");
            return options;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            errors.Add($"config: '{path}' is not valid YAML: {e.Message}");
            return options;
        }

        if (root is null)
        {
            return options;
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (key == "cluster" && valueNode is YamlMappingNode cluster)
            {
                options = options with { Cluster = ClusterConfigSection.Read(cluster, errors, path) };
                continue;
            }

            if (key == "projects")
            {
                options = ApplyProjects(options, valueNode, errors, path);
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: { } value })
            {
                errors.Add($"{key}: must be a single value (in '{path}')");
                continue;
            }

            options = ApplyKey(options, key, value, errors, path);
        }

        return options;
    }

    private static ServerOptions ApplyKey(ServerOptions options, string key, string value, List<string> errors, string path)
    {
        ServerOptions Bad(string expected)
        {
            errors.Add($"{key}: '{value}' is not {expected} (in '{path}')");
            return options;
        }

        switch (key)
        {
            case "port":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? options with { Port = port } : Bad("a port number");
            case "host":
                return options with { Host = value };
            case "ssl_crt":
                return options with { SslCrt = Blank(value) };
            case "ssl_key":
                return options with { SslKey = Blank(value) };
            case "data":
                return options with { Data = value };
            case "max_concurrent_deploys":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) ? options with { MaxConcurrentDeploys = slots } : Bad("a whole number");
            case "max_deploys_per_project":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var perProject) ? options with { MaxDeploysPerProject = perProject } : Bad("a whole number");
            case "deploy_queue_timeout":
                return ConfigValues.ParseDuration(value) is { } queue ? options with { DeployQueueTimeout = queue } : Bad("a duration (e.g. 30s)");
            case "max_body_size":
                return ConfigValues.ParseSize(value) is { } size ? options with { MaxBodySize = size } : Bad("a size (e.g. 2G)");
            case "keep_releases":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var keep) ? options with { KeepReleases = keep } : Bad("a whole number");
            case "max_bundle_bytes":
                return ConfigValues.ParseSize(value) is { } total ? options with { BundleLimits = options.BundleLimits with { MaxTotalBytes = total } } : Bad("a size (e.g. 2G)");
            case "max_bundle_file_bytes":
                return ConfigValues.ParseSize(value) is { } one ? options with { BundleLimits = options.BundleLimits with { MaxFileBytes = one } } : Bad("a size (e.g. 1G)");
            case "max_bundle_entries":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var entries) ? options with { BundleLimits = options.BundleLimits with { MaxEntries = entries } } : Bad("a whole number");
            case "min_request_body_rate":
                return ConfigValues.ParseSize(value) is { } rate ? options with { MinRequestBodyRate = rate } : Bad("bytes per second");
            case "keepalive_interval":
                return ConfigValues.ParseDuration(value) is { } ka ? options with { KeepAliveInterval = ka } : Bad("a duration (e.g. 15s)");
            case "shutdown_timeout":
                return ConfigValues.ParseDuration(value) is { } st ? options with { ShutdownTimeout = st } : Bad("a duration (e.g. 30s)");
            case "plan_lifetime":
                return ConfigValues.ParseDuration(value) is { } pl ? options with { PlanLifetime = pl } : Bad("a duration (e.g. 24h)");
            case "highstate_timeout":
                return ConfigValues.ParseDuration(value) is { } ht ? options with { HighstateTimeout = ht } : Bad("a duration (e.g. 10m)");
            case "dashboard":
                return ConfigValues.ParseBool(value) is { } dashboard ? options with { Dashboard = options.Dashboard with { Enabled = dashboard } } : Bad("true or false");
            case "dashboard_session":
                return ConfigValues.ParseDuration(value) is { } session ? options with { Dashboard = options.Dashboard with { SessionLifetime = session } } : Bad("a duration (e.g. 8h)");
            case "salt_command":
                return options with { SaltCommand = Blank(value) };
            case "salt_config_dir":
                return options with { SaltConfigDir = Blank(value) };
            case "batch_size":
                return options with { BatchSize = Blank(value) };
            default:
                errors.Add($"{key}: unknown setting (in '{path}')");
                return options;
        }
    }

    /// <summary><c>projects: {P: {allow_targets: EXPR}}</c>: per-project settings (docs/security.md).</summary>
    private static ServerOptions ApplyProjects(ServerOptions options, YamlNode node, List<string> errors, string path)
    {
        if (node is not YamlMappingNode projects)
        {
            errors.Add($"projects: must be a mapping of project names to settings, like {{myproject: {{allow_targets: 'G@role:web'}}}} (in '{path}')");
            return options;
        }

        var allow = new Dictionary<string, string>(options.ProjectAllowTargets, StringComparer.Ordinal);
        foreach (var (projectNode, settingsNode) in projects.Children)
        {
            var project = (projectNode as YamlScalarNode)?.Value ?? "";
            if (settingsNode is not YamlMappingNode settings)
            {
                errors.Add($"projects.{project}: must be a mapping of settings (in '{path}')");
                continue;
            }

            foreach (var (settingNode, valueNode) in settings.Children)
            {
                var setting = (settingNode as YamlScalarNode)?.Value ?? "";
                if (setting != "allow_targets")
                {
                    errors.Add($"projects.{project}.{setting}: unknown setting (in '{path}')");
                }
                else if (valueNode is YamlScalarNode { Value: { } expression })
                {
                    allow[project] = expression;
                }
                else
                {
                    errors.Add($"projects.{project}.allow_targets: must be a compound expression (in '{path}')");
                }
            }
        }

        return options with { ProjectAllowTargets = allow };
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
