using YamlDotNet.RepresentationModel;

namespace Spiro.Core.Tests.TopFiles;

/// <summary>Loads YAML into a comparable string form: {k: v, ...}, [a, b], 'scalar'. Order kept.</summary>
internal static class YamlShape
{
    public static string Of(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Assert.Single(stream.Documents).RootNode is { } root ? Describe(root) : "";
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode mapping => "{" + string.Join(", ", mapping.Children.Select(pair => Describe(pair.Key) + ": " + Describe(pair.Value))) + "}",
        YamlSequenceNode sequence => "[" + string.Join(", ", sequence.Children.Select(Describe)) + "]",
        YamlScalarNode scalar => scalar.Value ?? "~",
        _ => "?",
    };
}
