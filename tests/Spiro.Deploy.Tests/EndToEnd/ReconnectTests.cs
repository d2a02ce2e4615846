using System.Globalization;
using System.Text.Json.Nodes;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.EndToEnd;

/// <summary>The v1 event stream drops after the deploy was accepted: the client re-attaches with Last-Event-ID.</summary>
public sealed class ReconnectTests : IDisposable
{
    private readonly TestRepository repo = TestRepository.CreateTypical();

    public ReconnectTests() => repo.Write("_salt/spirotop.sls", "prod:\n  '*':\n    - app\n");

    public void Dispose() => repo.Dispose();

    private Task<CliResult> DeployAsync(HttpProxy proxy, string token, params string[] extra) =>
        CliRun.RunAsync(null, new InstantDelays(), [.. new[] { "--token", token, "--server", proxy.Url.ToString(), "--project-dir", repo.Path }, .. extra, "foo", "prod"]);

    [Fact]
    public async Task DroppedStream_IsResumed_WithoutDuplicateEvents()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m2"], "hs.foo-prod.m1m2", 1));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p =>
        {
            p.CutAfterEvent = "deploy-bundle";
            p.ExtraCuts = 2;
        });

        var json = await DeployAsync(proxy, server.Issue("foo"), "--json");

        Assert.True(json.ExitCode == ExitCodes.MinionFailed, json.ToString());
        Assert.Equal(3, proxy.ReattachRequests);
        Assert.Contains("re-attaching to deploy", json.Stderr, StringComparison.Ordinal);
        var objects = json.StdoutLines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var ids = objects.Where(o => o["id"] is not null).Select(o => long.Parse(o["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        var names = objects.Select(o => o["event"]!.GetValue<string>()).ToList();
        Assert.Single(names, n => n == "deploy-bundle");
        Assert.Single(names, n => n == "highstate-finish");
        Assert.Single(names, n => n == "deploy-finish");
        Assert.Equal(2, names.Count(n => n == "highstate-update"));
    }

    [Fact]
    public async Task DroppedStream_HumanOutput_PrintsEachMinionOnce()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1", "m2"], "hs.foo-prod.m1m2", 1));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p => p.CutAfterEvent = "highstate-start");

        var result = await DeployAsync(proxy, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.MinionFailed, result.ToString());
        Assert.Single(result.StdoutLines, l => l.StartsWith("m1:", StringComparison.Ordinal));
        Assert.Single(result.StdoutLines, l => l.StartsWith("m2:", StringComparison.Ordinal));
        Assert.Single(result.StdoutLines, l => l.StartsWith("Published release ", StringComparison.Ordinal));
        Assert.Single(result.StdoutLines, l => l.StartsWith("Highstating ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReattachRefused_GivesUpAfterTheRetries_ExitsFive()
    {
        await using var server = await ServerWithSalt.StartAsync(new SampleSalt(["m1"], "hs.m2-down", 0));
        await using var proxy = await HttpProxy.StartAsync(server.Url, p =>
        {
            p.CutAfterEvent = "deploy-bundle";
            p.RefuseReattach = true;
        });

        var result = await DeployAsync(proxy, server.Issue("foo"));

        Assert.True(result.ExitCode == ExitCodes.Network, result.ToString());
        Assert.Equal(5, proxy.ReattachRequests);
        Assert.Contains("gave up after 5 attempts", result.Stderr, StringComparison.Ordinal);
    }
}
