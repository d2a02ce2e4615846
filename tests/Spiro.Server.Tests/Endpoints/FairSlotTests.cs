using System.Diagnostics;
using System.Net;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>
/// Fair deploy slots (docs/security.md): an upload trickling in holds no publish slot, and one
/// project cannot have more than <c>max_deploys_per_project</c> deploys in flight.
/// </summary>
public sealed class FairSlotTests
{
    private const long Announced = 64L << 20; // at ~50 KiB/s the trickle would take twenty minutes

    [Fact]
    public async Task Deploy_WhileAnotherProjectTricklesItsUploadIntoTheOnlySlot_IsNotDelayedByIt()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxConcurrentDeploys = 1 });
        await using var slow = await TrickleAsync(server, "slow");
        Assert.Equal("HTTP/1.1 200 OK", await slow.StatusLineAsync(TimeSpan.FromSeconds(30)));

        var clock = Stopwatch.StartNew();
        using var request = DeployApiTests.Raw(server.Issue(["fast"]), Bundles.Hello(), "application/x-tar", project: "fast");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await server.Client.SendAsync(request, cancel.Token);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(cancel.Token), out _);

        Assert.Equal("deploy-finish", events[^1].Name);
        Assert.Equal("succeeded", events[^1].Json["status"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e.Data.Contains("Waiting for a free deploy slot", StringComparison.Ordinal));
        Assert.NotNull(server.LiveRelease("fast", "dev"));
        // The slow upload is still coming in: the fast deploy did not wait for it.
        Assert.True(slow.Sent < Announced, $"the slow client sent {slow.Sent} bytes in {clock.Elapsed}");
        Assert.Null(server.LiveRelease("slow", "dev"));
    }

    [Fact]
    public async Task Deploy_PastTheProjectsCap_Is503WithRetryAfterAndNothingRecorded()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxDeploysPerProject = 1, DeployQueueTimeout = TimeSpan.FromSeconds(1) });
        await using var slow = await TrickleAsync(server, "busy");
        Assert.Equal("HTTP/1.1 200 OK", await slow.StatusLineAsync(TimeSpan.FromSeconds(30)));
        var rowsBefore = server.Audit.Read().Count;

        using var second = DeployApiTests.Raw(server.Issue(["busy"]), Bundles.Hello(), "application/x-tar", project: "busy", deployment: "other");
        using var refused = await server.Client.SendAsync(second);
        var body = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("max_deploys_per_project", body, StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("X-Spiro-Deploy-Id"));
        Assert.Null(server.LiveRelease("busy", "other"));

        // Another project is not affected by busy's cap.
        using var other = DeployApiTests.Raw(server.Issue(["calm"]), Bundles.Hello(), "application/x-tar", project: "calm");
        using var accepted = await server.Client.SendAsync(other);
        await accepted.Content.ReadAsStringAsync();
        Assert.NotNull(server.LiveRelease("calm", "dev"));
        Assert.True(server.Audit.Read().Count > rowsBefore);
    }

    private static Task<RawUpload> TrickleAsync(TestServer server, string project) => RawUpload.StartAsync(
        server.BaseAddress,
        $"/api/v1/deploys?project={project}&deployment=dev",
        [$"Authorization: Bearer {server.Issue([project])}", "Content-Type: application/x-tar"],
        Announced,
        new byte[512],
        _ => new byte[512]);
}
