using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Bundles;

public sealed class UploadProgressTests : IDisposable
{
    private readonly TempDirectory scratch = new();
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose()
    {
        repo.Dispose();
        scratch.Dispose();
    }

    [Fact]
    public async Task NotATerminal_ProgressIsPeriodicPlainLines_ThenATotal()
    {
        var big = Path.Combine(repo.Path, "dist", "big.bin");
        var data = new byte[4 << 20];
        new Random(5).NextBytes(data);
        await File.WriteAllBytesAsync(big, data);
        await using var server = await CaptureServer.StartAsync(v1: true, Path.Combine(scratch.Path, "body"));

        var result = await CliRun.RunAsync(null, new SteppingClock(), "--token", "t", "--server", server.Url.ToString(), "--project-dir", repo.Path, "--artifact", "dist/big.bin", "foo", "dev");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var lines = result.Stderr.Split('\n');
        Assert.True(lines.Count(l => l.StartsWith("uploading: ", StringComparison.Ordinal)) >= 2, result.Stderr);
        var total = Assert.Single(lines, l => l.StartsWith("uploaded ", StringComparison.Ordinal));
        Assert.Contains(" MiB in ", total, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.DoesNotContain('\r', result.Stderr);
    }
}
