using System.Text.Json.Nodes;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Output;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Binary;

/// <summary>The built executable, run as CI runs it: a child process with pipes for stdout and stderr.</summary>
public sealed class BinaryTests : IDisposable
{
    private readonly TempDirectory scratch = new();
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose()
    {
        repo.Dispose();
        scratch.Dispose();
    }

    [Fact]
    public async Task Binary_MissingToken_ExitsWithUsage()
    {
        var result = await ChildProcess.RunAsync(new Dictionary<string, string>(), "--project-dir", repo.Path, "foo", "dev");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("SPIRO_TOKEN", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_AgainstTheRealServerAndFakeSalt_PrintsPlainLines_AndExitsOneForAFailedState()
    {
        repo.Write("_salt/spirotop.sls", "bad:\n  '*':\n    - app\n");
        await using var server = await ServerWithSalt.StartWithFakeSaltAsync();
        var environment = new Dictionary<string, string> { ["SPIRO_TOKEN"] = server.Issue("foo") };

        var result = await ChildProcess.RunAsync(environment, "--server", server.Url.ToString(), "--project-dir", repo.Path, "foo", "bad");

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("m1: FAILED 2 succeeded (1 changed), 1 failed, 20.9 ms", result.StdoutLines);
        Assert.Contains("failed  must_fail (cmd.run /bin/false): Command \"/bin/false\" run", result.StdoutLines);
        Assert.Contains("Minions that failed: m1", result.StdoutLines);
        Assert.DoesNotContain('\u001b', result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Binary_DeploysWithEnvironmentSettings_AndPrintsPlainJsonLines()
    {
        await using var server = await CaptureServer.StartAsync(v1: true, Path.Combine(scratch.Path, "body"));
        var environment = new Dictionary<string, string> { ["SPIRO_TOKEN"] = "env-token", ["SPIRO_URL"] = server.Url.ToString() };

        var result = await ChildProcess.RunAsync(environment, "--project-dir", repo.Path, "--json", "foo", "dev");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("bearer env-token", server.Upload.Authorization);
        var events = result.StdoutLines.Select(l => JsonNode.Parse(l)!["event"]!.GetValue<string>()).ToList();
        Assert.Equal(["deploy-bundle", "deploy-finish", JsonOutput.ResultEvent], events);
        Assert.DoesNotContain('\u001b', result.Stdout + result.Stderr);
        Assert.Contains("uploaded ", result.Stderr, StringComparison.Ordinal);
    }
}
