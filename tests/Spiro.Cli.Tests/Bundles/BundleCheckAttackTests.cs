using System.Diagnostics;
using Spiro.Cli.Tests.Releases;

namespace Spiro.Cli.Tests.Bundles;

/// <summary>
/// Hostile spirotop.sls files against the real `spiro bundle check` as a child process with a
/// capped GC heap: a stack overflow (exit 134) or an out-of-memory would show as a failed test.
/// </summary>
public sealed class BundleCheckAttackTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Check_SpirotopOfHundredThousandBrackets_IsRejectedAsTooDeepWithoutCrashing()
    {
        var bundle = _cli.Bundle("deep.tar", new Dictionary<string, string> { ["spirotop.sls"] = "dev: " + new string('[', 100_000) + "\n" });

        var (code, _, error) = await CheckAsync(bundle);

        Assert.True(code == ExitCodes.Rejected, $"exit {code}: {error}");
        Assert.Contains("(rule yaml-too-deep)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AliasBombSpirotop_IsRejectedWithinAQuarterGigabyte()
    {
        var yaml = "x: &s '" + new string('l', 10_000) + "'\ny: &l [" + string.Join(",", Enumerable.Repeat("*s", 100)) + "]\ndev:\n"
            + string.Concat(Enumerable.Range(0, 300).Select(i => $"  t{i}: *l\n"));
        var bundle = _cli.Bundle("bomb.tar", new Dictionary<string, string> { ["spirotop.sls"] = yaml });

        var (code, _, error) = await CheckAsync(bundle);

        Assert.True(code == ExitCodes.Rejected, $"exit {code}: {error}");
        Assert.Contains("(rule yaml-too-large)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_KeptTopWithABaseSection_IsRejected()
    {
        var bundle = _cli.Bundle("base.tar", new Dictionary<string, string> { ["top.sls"] = "base:\n  '*': [evil]\n", ["evil.sls"] = "x: y\n" });

        var (code, _, error) = await CheckAsync(bundle);

        Assert.True(code == ExitCodes.Rejected, $"exit {code}: {error}");
        Assert.Contains("it has a section 'base' (rule top-foreign-saltenv)", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> CheckAsync(string bundle)
    {
        var info = new ProcessStartInfo(CliHarness.CliPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "bundle", "check", bundle, "--project", "foo", "--deployment", "dev" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_GCHeapHardLimit"] = "0x10000000";
        using var child = Process.Start(info)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        return (child.ExitCode, await output, await error);
    }
}
