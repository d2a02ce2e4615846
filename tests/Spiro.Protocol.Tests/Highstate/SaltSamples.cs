using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Spiro.Protocol.Tests.Highstate;

/// <summary>The recorded output of real Salt 3006 in tests/salt-samples (see its README).</summary>
internal static class SaltSamples
{
    public static string Directory { get; } = Find();

    /// <summary>Every (minion, value) of a recording, in order: one JSON document per line.</summary>
    public static IReadOnlyList<(string Minion, JsonNode? Value)> Documents(string file) =>
        [.. File.ReadAllLines(Path.Combine(Directory, file))
            .Where(line => line.TrimStart().StartsWith('{'))
            .SelectMany(line => JsonNode.Parse(line)!.AsObject().Select(pair => (pair.Key, pair.Value?.DeepClone())))];

    /// <summary>A minion's first value in a recording (later ones are Salt's bogus second documents).</summary>
    public static JsonNode? First(string file, string minion) => Documents(file).First(document => document.Minion == minion).Value;

    // Test binaries may live in an artifacts directory far from the repository; the source file does not move.
    private static string Find([CallerFilePath] string source = "")
    {
        for (var directory = Path.GetDirectoryName(source); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, "salt-samples");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/salt-samples not found above {source}");
    }
}
