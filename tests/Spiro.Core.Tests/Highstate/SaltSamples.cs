using System.Runtime.CompilerServices;

namespace Spiro.Core.Tests.Highstate;

/// <summary>The recorded output of real Salt in tests/salt-samples (see its README).</summary>
internal static class SaltSamples
{
    public static string Directory { get; } = Find();

    public static string[] StdoutLines(string stem) =>
        File.ReadAllText(Path.Combine(Directory, stem + ".stdout")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

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
