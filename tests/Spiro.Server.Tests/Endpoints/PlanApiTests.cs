using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>Plans on the v1 API (docs/api.md "Plans"): a candidate that is not live, then apply, with the refusals.</summary>
public sealed class PlanApiTests
{
    [Fact]
    public async Task Plan_StoresACandidateThatIsNotLive_AndApplyMakesExactlyItLive()
    {
        var salt = new ScriptedHighstate();
        await using var server = await TestServer.StartAsync(salt);
        var token = server.Issue(["foo"]);
        var live = await DeployAsync(server, token, "one");

        var events = await PlanAsync(server, token, "two");
        var plan = events.Single(e => e.Name == "plan").Json;
        var planId = plan["plan_id"]!.GetValue<string>();

        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        Assert.Equal(live, plan["live"]!.GetValue<string>());
        Assert.Equal("pending", plan["status"]!.GetValue<string>());
        var changed = plan["diff"]!["files"]!.AsArray().Select(f => (f!["path"]!.GetValue<string>(), f["change"]!.GetValue<string>())).ToList();
        Assert.Equal([("web/init.sls", "changed")], changed);
        Assert.Contains("+    - contents: two", plan["diff"]!["files"]![0]!["unified"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("succeeded", events.Last().Json["status"]!.GetValue<string>());
        var request = Assert.Single(salt.Requests, r => r.ReleaseId == planId);
        Assert.Equal($"_spiro_plan/{planId}", request.PlanSaltEnv);
        Assert.True(request.Test);

        var applied = await ApplyAsync(server, token, planId);
        Assert.Equal(HttpStatusCode.OK, applied.Status);
        Assert.Equal(planId, server.LiveRelease("foo", "dev"));
        Assert.Equal(planId, applied.Events.Single(e => e.Name == "deploy-bundle").Json["release"]!.GetValue<string>());
        Assert.Null(salt.Requests.Last().PlanSaltEnv);
        Assert.False(Directory.Exists(Path.Combine(server.Data, "plans", planId)));

        var again = await ApplyAsync(server, token, planId);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        var read = await GetAsync(server, $"/api/v1/plans/{planId}", token);
        Assert.Equal("applied", JsonNode.Parse(read.Body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredPlan_WhileTheServerRuns_HasItsCandidateRemovedWithoutAnotherDeploy()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { PlanLifetime = TimeSpan.FromSeconds(2) });
        var token = server.Issue(["foo"]);
        var live = await DeployAsync(server, token, "one");
        var planId = (await PlanAsync(server, token, "two")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();
        var candidate = Path.Combine(server.Data, "releases", planId);
        Assert.True(Directory.Exists(candidate));

        // The sweeper looks every second here (a quarter of the lifetime, at least 1 s).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Directory.Exists(candidate) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(Directory.Exists(candidate), $"candidate {planId} still there 60 s after its plan expired");
        Assert.False(Directory.Exists(Path.Combine(server.Data, "plans", planId)));
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        var read = await GetAsync(server, $"/api/v1/plans/{planId}", token);
        Assert.Equal("expired", JsonNode.Parse(read.Body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_WhenTheLiveReleaseMovedSinceThePlan_Is409AndChangesNothing_UnlessForced()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        await DeployAsync(server, token, "one");
        var planId = (await PlanAsync(server, token, "two")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();
        var moved = await DeployAsync(server, token, "three");

        var stale = await ApplyAsync(server, token, planId);

        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Contains("the live release moved since this plan", stale.Body, StringComparison.Ordinal);
        Assert.Equal(moved, server.LiveRelease("foo", "dev"));

        var forced = await ApplyAsync(server, token, planId, "force=true");
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Equal(planId, server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task Apply_OfAnExpiredPlan_Is410AndRetentionRemovesTheCandidate()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { PlanLifetime = TimeSpan.FromMilliseconds(1) });
        var token = server.Issue(["foo"]);
        var live = await DeployAsync(server, token, "one");
        var first = (await PlanAsync(server, token, "two")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();
        var second = (await PlanAsync(server, token, "three")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();

        var expired = await ApplyAsync(server, token, second);

        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Contains("expired", expired.Body, StringComparison.Ordinal);
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        Assert.False(Directory.Exists(Path.Combine(server.Data, "releases", second)));

        // The other expired candidate is gone after the next publish in the saltenv (which collects
        // it), if the running server's sweep (every second at this lifetime) has not already.
        await DeployAsync(server, token, "four");
        Assert.False(Directory.Exists(Path.Combine(server.Data, "releases", first)));
        Assert.False(File.Exists(Path.Combine(server.Data, "manifests", first + ".json")));
        Assert.False(Directory.Exists(Path.Combine(server.Data, "plans", first)));
        Assert.Equal("expired", JsonNode.Parse((await GetAsync(server, $"/api/v1/plans/{first}", token)).Body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherProjectsToken_CannotPlanApplyOrReadAPlan()
    {
        await using var server = await TestServer.StartAsync();
        var owner = server.Issue(["foo"]);
        var other = server.Issue(["bar"]);
        var live = await DeployAsync(server, owner, "one");
        var planId = (await PlanAsync(server, owner, "two")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();

        using var plan = Upload(other, Bundles.Hello("evil"), "/api/v1/plans");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(plan)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApplyAsync(server, other, planId)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApplyAsync(server, other, planId, project: "bar")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, $"/api/v1/plans/{planId}", other)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, $"/api/v1/saltenvs/foo/dev/diff?to={planId}", other)).Status);

        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, $"/api/v1/plans/{planId}", owner)).Status);
    }

    [Fact]
    public async Task Apply_WithTheWrongSaltenv_IsRefusedAndChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        var live = await DeployAsync(server, token, "one");
        var planId = (await PlanAsync(server, token, "two")).Single(e => e.Name == "plan").Json["plan_id"]!.GetValue<string>();

        var wrong = await ApplyAsync(server, token, planId, deployment: "prod");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("is a plan of foo/dev", wrong.Body, StringComparison.Ordinal);
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        Assert.Null(server.LiveRelease("foo", "prod"));
    }

    [Fact]
    public async Task Diff_ByDefault_ComparesTheReleaseBeforeTheLiveOneWithIt()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        var first = await DeployAsync(server, token, "one");
        var second = await DeployAsync(server, token, "two");

        var response = await GetAsync(server, "/api/v1/saltenvs/foo/dev/diff", token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var diff = JsonNode.Parse(response.Body)!;
        Assert.Equal(first, diff["from"]!.GetValue<string>());
        Assert.Equal(second, diff["to"]!.GetValue<string>());
        Assert.Equal(1, diff["changed"]!.GetValue<int>());
        Assert.Equal("web/init.sls", diff["files"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("0444", diff["files"]![0]!["after"]!["mode"]!.GetValue<string>());
        Assert.Contains("'foo/dev':", diff["top_after"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, "/api/v1/saltenvs/foo/dev/diff?from=20000101T000000Z-00000000", token)).Status);
    }

    private static async Task<string> DeployAsync(TestServer server, string token, string marker)
    {
        using var request = DeployApiTests.Raw(token, Bundles.Hello(marker), "application/x-tar", "highstate=true");
        using var response = await server.Client.SendAsync(request);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);
        return events.Single(e => e.Name == "deploy-bundle").Json["release"]!.GetValue<string>();
    }

    private static async Task<List<SseEvent>> PlanAsync(TestServer server, string token, string marker)
    {
        using var request = Upload(token, Bundles.Hello(marker), "/api/v1/plans");
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);
    }

    private static async Task<(HttpStatusCode Status, string Body, List<SseEvent> Events)> ApplyAsync(TestServer server, string token, string planId, string extra = "", string project = "foo", string deployment = "dev")
    {
        using var request = DeployApiTests.Authorized(HttpMethod.Post, $"/api/v1/plans/{planId}/apply?project={project}&deployment={deployment}&{extra}", token);
        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, response.IsSuccessStatusCode ? SseEvent.ParseAll(body, out _) : []);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(TestServer server, string path, string token)
    {
        using var request = DeployApiTests.Authorized(HttpMethod.Get, path, token);
        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Upload(string token, byte[] body, string route)
    {
        var request = DeployApiTests.Authorized(HttpMethod.Post, $"{route}?project=foo&deployment=dev", token);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return request;
    }
}
