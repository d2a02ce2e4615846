using Spiro.Cluster;
using Spiro.Cluster.Objects;
using YamlDotNet.RepresentationModel;

namespace Spiro.Server.Options;

/// <summary>Reads the <c>cluster:</c> mapping of the config file (docs/cluster.md); errors name the key as <c>cluster.objects.bucket</c>.</summary>
internal static class ClusterConfigSection
{
    private const long MaxSecretFileBytes = 4096;

    public static ClusterOptions Read(YamlMappingNode section, List<string> errors, string path)
    {
        var cluster = new ClusterOptions();
        foreach (var (key, value) in Entries(section, "cluster", errors, path))
        {
            switch (key)
            {
                case "database" when Scalar(value, "cluster.database", errors, path) is { } database:
                    cluster = cluster with { Database = database };
                    break;
                case "name" when Scalar(value, "cluster.name", errors, path) is { } name:
                    cluster = cluster with { Name = name };
                    break;
                case "apply_timeout" when Scalar(value, "cluster.apply_timeout", errors, path) is { } timeout:
                    if (ConfigValues.ParseDuration(timeout) is { } applyTimeout)
                    {
                        cluster = cluster with { ApplyTimeout = applyTimeout };
                    }
                    else
                    {
                        errors.Add($"cluster.apply_timeout: '{timeout}' is not a duration (e.g. 2m) (in '{path}')");
                    }

                    break;
                case "objects" when value is YamlMappingNode objects:
                    cluster = cluster with { Objects = ReadObjects(objects, errors, path) };
                    break;
                case "objects":
                    errors.Add($"cluster.objects: must be a mapping (endpoint, bucket, access_key, secret_key) (in '{path}')");
                    break;
                case "database" or "name" or "apply_timeout":
                    break;
                default:
                    errors.Add($"cluster.{key}: unknown setting (in '{path}')");
                    break;
            }
        }

        return cluster;
    }

    private static S3ContentOptions ReadObjects(YamlMappingNode section, List<string> errors, string path)
    {
        var objects = new S3ContentOptions();
        foreach (var (key, node) in Entries(section, "cluster.objects", errors, path))
        {
            var name = "cluster.objects." + key;
            if (Scalar(node, name, errors, path) is not { } value)
            {
                continue;
            }

            switch (key)
            {
                case "endpoint":
                    if (Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
                    {
                        objects = objects with { Endpoint = endpoint };
                    }
                    else
                    {
                        errors.Add($"{name}: '{value}' is not a URL (in '{path}')");
                    }

                    break;
                case "bucket":
                    objects = objects with { Bucket = value };
                    break;
                case "region":
                    objects = objects with { Region = value };
                    break;
                case "prefix":
                    objects = objects with { Prefix = value };
                    break;
                case "parallelism" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parallelism):
                    objects = objects with { Parallelism = parallelism };
                    break;
                case "parallelism":
                    errors.Add($"{name}: '{value}' is not a whole number (1 to {S3ContentOptions.MaxParallelism}) (in '{path}')");
                    break;
                case "access_key":
                    objects = objects with { AccessKey = value };
                    break;
                case "secret_key":
                    objects = objects with { SecretKey = value };
                    break;
                case "secret_key_file":
                    objects = ReadSecretFile(value, errors) is { } secret ? objects with { SecretKey = secret } : objects;
                    break;
                default:
                    errors.Add($"{name}: unknown setting (in '{path}')");
                    break;
            }
        }

        return objects;
    }

    private static string? ReadSecretFile(string file, List<string> errors)
    {
        try
        {
            if (new FileInfo(file).Length > MaxSecretFileBytes)
            {
                errors.Add($"cluster.objects.secret_key_file: '{file}' is larger than {MaxSecretFileBytes} bytes");
                return null;
            }

            return File.ReadAllText(file).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cluster.objects.secret_key_file: cannot read '{file}': {exception.Message}");
            return null;
        }
    }

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode section, string prefix, List<string> errors, string path)
    {
        foreach (var (keyNode, value) in section.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } key })
            {
                yield return (key, value);
            }
            else
            {
                errors.Add($"{prefix}: keys must be plain names (in '{path}')");
            }
        }
    }

    private static string? Scalar(YamlNode node, string name, List<string> errors, string path)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        errors.Add($"{name}: must be a single value (in '{path}')");
        return null;
    }
}
