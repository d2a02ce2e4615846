using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>spiro-deploy against the real server, which offers the negotiated upload: only what the server lacks is sent.</summary>
public sealed class NegotiatedUploadTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public void Dispose() => repo.Dispose();

    private Task<CliResult> DeployAsync(TestServer server, string token) =>
        CliRun.RunAsync("--token", token, "--server", server.Url.ToString(), "--project-dir", repo.Path, "--artifact", "dist", "--no-highstate", "foo", "dev");

    [Fact]
    public async Task Redeploy_WithOneStateChanged_SendsOnlyThatFileAndSaysHowMuchItSkipped()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1", 1));
        var token = server.Issue("foo");
        var first = await DeployAsync(server, token);
        repo.Write("_salt/app/init.sls", "app:\n  test.succeed_with_changes\n");

        var again = await DeployAsync(server, token);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("Negotiated upload: the server has 0 B of this bundle", first.Stderr, StringComparison.Ordinal);
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("sending 1 of ", again.Stderr, StringComparison.Ordinal);
        Assert.Matches("skipping [1-9][0-9]* B", again.Stderr);
        Assert.Contains(again.StdoutLines, l => l.StartsWith("Published release ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_ToAProjectThatNeverHadTheContent_SendsEverythingAlthoughAnotherProjectHasIt()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1", 1));
        Assert.Equal(ExitCodes.Ok, (await DeployAsync(server, server.Issue("foo"))).ExitCode);

        var other = await CliRun.RunAsync("--token", server.Issue("bar"), "--server", server.Url.ToString(), "--project-dir", repo.Path, "--artifact", "dist", "--no-highstate", "bar", "dev");

        Assert.True(other.ExitCode == ExitCodes.Ok, other.ToString());
        Assert.Contains("Negotiated upload: the server has 0 B of this bundle", other.Stderr, StringComparison.Ordinal);
    }
}
