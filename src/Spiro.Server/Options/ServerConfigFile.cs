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
        ArgumentNullException.ThrowIfNull(errors);
        if (ReadMapping(path, errors) is not { } root)
        {
            return options;
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            options = key switch
            {
                "cluster" when valueNode is YamlMappingNode cluster => options with { Cluster = ClusterConfigSection.Read(cluster, errors, path) },
                "projects" => ApplyProjects(options, valueNode, errors, path),
                _ when valueNode is YamlScalarNode { Value: { } value } => ApplyKey(options, key, value, errors, path),
                _ => Invalid(options, $"{key}: must be a single value (in '{path}')", errors),
            };
        }

        return options;
    }

    // The file's top mapping; null when it is empty or unreadable (then errors says why).
    private static YamlMappingNode? ReadMapping(string path, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"config: file '{path}' does not exist");
            return null;
        }

        // Settings are a flat mapping: bounded like every YAML spiro reads, so no file can make the loader recurse or expand aliases without end.
        if (new FileInfo(path).Length > MaxConfigBytes)
        {
            errors.Add($"config: '{path}' is larger than {MaxConfigBytes >> 20} MiB");
            return null;
        }

        var text = File.ReadAllText(path);
        if (YamlBounds.Check(text, ConfigLimits) is { } violation)
        {
            errors.Add($"config: '{path}' line {violation.Line} column {violation.Column}: {violation.Message}");
            return null;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                return null;
            }

            if (stream.Documents[0].RootNode is YamlMappingNode root)
            {
                return root;
            }

            errors.Add($"config: '{path}' must hold a mapping of settings");
            return null;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add($"config: '{path}' line {e.Start.Line} column {e.Start.Column}: {e.Message}");
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            errors.Add($"config: '{path}' is not valid YAML: {e.Message}");
            return null;
        }
    }

    private static ServerOptions Invalid(ServerOptions options, string error, List<string> errors)
    {
        errors.Add(error);
        return options;
    }

    private static ServerOptions ApplyKey(ServerOptions options, string key, string value, List<string> errors, string path)
    {
        if (ServerSettingKeys.Find(key) is { } setting)
        {
            return setting.ApplyOrExplain(options, value, $"in '{path}'", errors);
        }

        return Invalid(options, $"{key}: unknown setting (in '{path}')", errors);
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
}
