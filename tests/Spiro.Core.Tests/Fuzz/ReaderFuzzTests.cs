using System.Diagnostics;

namespace Spiro.Core.Tests.Fuzz;

/// <summary>
/// Bounded fuzz runs with fixed seeds over the YAML and tar readers, in a child process
/// (tests/Spiro.Fuzz) with a capped GC heap: a stack overflow, an out-of-memory or an unhandled
/// exception ends the child and fails the test, instead of killing the test host.
/// </summary>
public sealed class ReaderFuzzTests
{
    // 256 MiB for everything the child allocates; the readers need a few MiB.
    private const string HeapLimit = "0x10000000";

    [Theory]
    [InlineData(1, 4000)]
    [InlineData(20261201, 4000)]
    public async Task YamlReaders_OnMutatedInput_AlwaysReturnAResult(int seed, int runs)
    {
        var (code, output, error) = await RunAsync("yaml", seed, runs);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("Invalid/Invalid=", output, StringComparison.Ordinal);
        Assert.Contains("Generated/", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 500)]
    [InlineData(20261201, 500)]
    public async Task BundleReader_OnMutatedTars_AlwaysReturnsAResult(int seed, int runs)
    {
        var (code, output, error) = await RunAsync("tar", seed, runs);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("accepted=", output, StringComparison.Ordinal);
        Assert.Contains("truncated=", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string reader, int seed, int runs)
    {
        var configuration = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var fuzz = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Spiro.Fuzz", configuration, "Spiro.Fuzz"));
        var info = new ProcessStartInfo(fuzz) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(reader);
        info.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.Environment["DOTNET_GCHeapHardLimit"] = HeapLimit;
        using var child = Process.Start(info)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await child.WaitForExitAsync(timeout.Token);
        return (child.ExitCode, await output, await error);
    }
}
