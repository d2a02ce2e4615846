using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>A server with only the compatible endpoint (the v1 routes hidden by a proxy answering 404, like the original server).</summary>
public sealed class CompatibleEndpointTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public CompatibleEndpointTests() => repo.Write("_salt/spirotop.sls", "prod:\n  '*':\n    - app\n");

    public void Dispose() => repo.Dispose();

    private Task<CliResult> DeployAsync(HttpProxy proxy, string token, params string[] extra) =>
        CliRun.RunAsync([.. new[] { "--token", token, "--server", proxy.Url.ToString(), "--project-dir", repo.Path }, .. extra, "foo", "prod"]);

    [Fact]
    public async Task Deploy_WorksThroughTheCompatibleEndpoint_AndReportsMinions()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m2"], "hs.foo-prod.m1m2", 1));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var result = await DeployAsync(proxy, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Contains("(compatible endpoint)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("m1: OK 1 succeeded (1 changed), 0 failed, 50.8 ms", result.StdoutLines);
        Assert.Single(result.StdoutLines, l => l.StartsWith("m2:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.StdoutLines, l => l.Contains("deploy-start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TargetedMinionThatIsDown_ThroughTheCompatibleEndpoint_ExitsOne_UnlessTolerated()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0) { Down = ["m2"] });
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var strict = await DeployAsync(proxy, server.Issue("foo"));
        var tolerant = await DeployAsync(proxy, server.Issue("foo"), "--tolerate-missing");

        Assert.True(strict.ExitCode == ExitCodes.MinionFailed, strict.ToString());
        Assert.Contains("m2: FAILED (did not return)", strict.StdoutLines);
        Assert.True(tolerant.ExitCode == ExitCodes.Ok, tolerant.ToString());
    }

    [Fact]
    public async Task NoHighstate_ThroughTheCompatibleEndpoint_ExitsZero()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.foo-bad.m1", 1));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var result = await DeployAsync(proxy, server.Issue("foo"), "--no-highstate");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.StartsWith("Published release ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectedBundle_ThroughTheCompatibleEndpoint_ExitsFour()
    {
        repo.Write("_salt/spirotop.sls", "prod: [unclosed\n");
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var result = await DeployAsync(proxy, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.BundleRejected, result.ToString());
        Assert.Contains("rejected the bundle (400)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestRun_NeedsTheV1Api_IsAUsageError()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.HideV1 = true);

        var result = await DeployAsync(proxy, server.Issue("foo"), "--test");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public async Task DroppedStream_OnTheCompatibleEndpoint_ExitsFive()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p =>
        {
            p.HideV1 = true;
            p.CutAfterEvent = "deploy-bundle";
        });

        var result = await DeployAsync(proxy, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.Network, result.ToString());
        Assert.True(result.Stderr.Contains("cannot resume", StringComparison.Ordinal), result.ToString());
    }
}
