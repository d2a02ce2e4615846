using System.Reflection;

namespace Spiro.Testing;

/// <summary>Where the repository and the built executables are, for tests and the saltlab tool.</summary>
public static class RepoPaths
{
    /// <summary>The repository root this assembly was built from.</summary>
    public static string Root { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepoRoot").Value!;

    /// <summary>The ignored cache folder (<c>.cache/</c>) for unpacked tools and the hand-run lab.</summary>
    public static string Cache => Path.Combine(Root, ".cache");

    /// <summary>The built <c>spiro</c>: $SPIRO_CLI (set by ./build.sh test), else the build next to this assembly's output.</summary>
    public static string SpiroCli => Executable("SPIRO_CLI", "Spiro.Cli", "spiro");

    /// <summary>The built <c>spiro-deploy</c>: $SPIRO_DEPLOY, else the build next to this assembly's output.</summary>
    public static string SpiroDeploy => Executable("SPIRO_DEPLOY", "Spiro.Deploy", "spiro-deploy");

    private static string Executable(string variable, string project, string name)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnv && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        // artifacts/bin/<project>/<configuration>/: a sibling of this assembly's own output folder.
        var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var sibling = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration, name));
        if (File.Exists(sibling))
        {
            return sibling;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(copied)
            ? copied
            : throw new FileNotFoundException($"no built {name}: set {variable} or build {project} (./build.sh build)", sibling);
    }
}
