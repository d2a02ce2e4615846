using System.Text.Json.Nodes;

namespace Spiro.Deploy.Tests.Support;

/// <summary>The recorded outputs of real Salt (tests/salt-samples), one JSON document per line per minion.</summary>
internal static class Samples
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "salt-samples", name);

    /// <summary>(minion, value) pairs of a streamed <c>--out=json --out-indent=-1</c> output, in order.</summary>
    public static IReadOnlyList<(string Minion, JsonNode? Value)> Documents(string name) =>
        [.. File.ReadAllLines(Path(name))
            .Where(line => line.Trim().Length > 0)
            .SelectMany(line => JsonNode.Parse(line)!.AsObject().Select(p => (p.Key, p.Value?.DeepClone())))];

    public static JsonNode? First(string name, string minion) => Documents(name).First(d => d.Minion == minion).Value;
}
