using System.CommandLine;
using System.Diagnostics;
using System.Formats.Tar;
using Microsoft.Data.Sqlite;
using Spiro.Testing.Tars;

namespace Spiro.Cli.Tests.Releases;

/// <summary>A temp data directory plus two ways to run spiro: the real entry point in-process, or the built executable as a child.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Root = Directory.CreateTempSubdirectory("spiro-cli-").FullName;
        Data = Path.Combine(Root, "data");
    }

    public string Root { get; }

    public string Data { get; }

    /// <summary>The built spiro executable: $SPIRO_CLI (set by ./build.sh test), else next to this test's build output.</summary>
    public static string CliPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SPIRO_CLI") is { Length: > 0 } fromEnv && File.Exists(fromEnv))
            {
                return fromEnv;
            }

            var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
            var candidate = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Spiro.Cli", configuration, "spiro"));
            return File.Exists(candidate) ? candidate : Path.Combine(AppContext.BaseDirectory, "spiro");
        }
    }

    /// <summary>Runs spiro's verbs in-process through the same parser and handlers as Program.cs.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in Verbs.All())
        {
            root.Subcommands.Add(command);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await root.Parse([.. args, "--data", Data]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        SqliteConnection.ClearAllPools();
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built spiro as a child process with extra environment variables.</summary>
    public Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(CliPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args.Append("--data").Append(Data))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    /// <summary>Writes a real tar bundle to a file under the harness root.</summary>
    public string Bundle(string name, IReadOnlyDictionary<string, string> files, int paddingFiles = 0, int paddingBytes = 0)
    {
        var path = Path.Combine(Root, name);
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var (entryName, text) in files)
        {
            TestTar.AddText(writer, entryName, text);
        }

        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < paddingFiles; i++)
        {
            var bytes = new byte[paddingBytes];
            random.NextBytes(bytes);
            TestTar.Add(writer, $"_artifacts/pad/{i % 10}/{i}.bin", bytes);
        }

        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _ = Process.Start("chmod", ["-R", "u+w", Root])!.WaitForExit(10_000);
        Directory.Delete(Root, recursive: true);
    }
}
