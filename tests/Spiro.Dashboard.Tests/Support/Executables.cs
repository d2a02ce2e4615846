namespace Spiro.Dashboard.Tests.Support;

/// <summary>The built executables the tests run as child processes (./build.sh test sets SPIRO_CLI; else the artifacts layout).</summary>
internal static class Executables
{
    public static string Spiro =>
        Environment.GetEnvironmentVariable("SPIRO_CLI") is { Length: > 0 } fromEnv && File.Exists(fromEnv) ? fromEnv : Sibling("Spiro.Cli", "spiro");

    public static string SpiroDeploy => Sibling("Spiro.Deploy", "spiro-deploy");

    /// <summary>artifacts/bin/PROJECT/CONFIG/NAME beside this test's artifacts/bin/Spiro.Dashboard.Tests/CONFIG/.</summary>
    private static string Sibling(string project, string name)
    {
        var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration, name));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built (dotnet build the solution first)");
    }
}
