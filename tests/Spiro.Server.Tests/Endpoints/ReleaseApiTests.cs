using System.Net;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

public sealed class ReleaseApiTests
{
    [Fact]
    public async Task Rollback_WithAdminToken_SwitchesToThePreviousRelease()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Issue(["foo"], admin: true);
        var first = await DeployAsync(server, admin, "one");
        await DeployAsync(server, admin, "two");

        using var request = DeployApiTests.Authorized(HttpMethod.Post, "/api/v1/saltenvs/foo/dev/rollback", admin);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first, server.LiveRelease("foo", "dev"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(first, body["release"]!["id"]!.GetValue<string>());
        Assert.Empty(body["warnings"]!.AsArray());
        var releases = await GetJsonAsync(server, "/api/v1/saltenvs/foo/dev/releases", admin);
        Assert.Equal(first, releases.AsArray().Single(r => r!["live"]!.GetValue<bool>())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AdminOperations_WithoutAdminScope_AreForbiddenAndChangeNothing()
    {
        await using var server = await TestServer.StartAsync();
        var deployer = server.Issue(["foo"]);
        await DeployAsync(server, deployer, "one");
        var second = await DeployAsync(server, deployer, "two");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/api/v1/saltenvs/foo/dev/rollback"),
            (HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote?from=dev"),
            (HttpMethod.Delete, "/api/v1/saltenvs/foo/dev"),
        })
        {
            using var request = DeployApiTests.Authorized(method, path, deployer);
            Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(second, server.LiveRelease("foo", "dev"));
        Assert.Null(server.LiveRelease("foo", "prod"));
    }

    [Fact]
    public async Task PromoteThenDelete_WithAdminToken_Work()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Issue(["foo"], admin: true);
        await DeployAsync(server, admin, "one");

        using var promote = DeployApiTests.Authorized(HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote?from=dev", admin);
        using var promoted = await server.Client.SendAsync(promote);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.NotNull(server.LiveRelease("foo", "prod"));
        Assert.Empty(JsonNode.Parse(await promoted.Content.ReadAsStringAsync())!["warnings"]!.AsArray());
        var projects = await GetJsonAsync(server, "/api/v1/projects", admin);
        Assert.Equal(["dev", "prod"], projects[0]!["deployments"]!.AsArray().Select(d => d!.GetValue<string>()).Order(StringComparer.Ordinal));

        using var delete = DeployApiTests.Authorized(HttpMethod.Delete, "/api/v1/saltenvs/foo/dev", admin);
        using var deleted = await server.Client.SendAsync(delete);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["warnings"]!.AsArray());
        Assert.Null(server.LiveRelease("foo", "dev"));
        Assert.NotNull(server.LiveRelease("foo", "prod"));
    }

    [Theory]
    [InlineData("dev", "foo/prod")]
    [InlineData("prod", "foo/dev")]
    public async Task Promote_WithTokenCoveringOnlyOneSide_AuditsOneRefusedRowAndNoOk(string covered, string refusedTarget)
    {
        await using var server = await TestServer.StartAsync();
        await DeployAsync(server, server.IssueRoot(), "one");
        var halfAdmin = server.Issue(["foo"], [covered], admin: true);

        using var promote = DeployApiTests.Authorized(HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote?from=dev", halfAdmin);
        using var response = await server.Client.SendAsync(promote);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var row = Assert.Single(server.Audit.Read(), r => r.Action == "promote");
        Assert.Equal(("refused", refusedTarget), (row.Outcome, row.Target));
        Assert.Null(server.LiveRelease("foo", "prod"));
    }

    [Fact]
    public async Task Promote_WithTokenCoveringBothSides_AuditsASingleTokenAcceptedRow()
    {
        await using var server = await TestServer.StartAsync();
        await DeployAsync(server, server.IssueRoot(), "one");
        var admin = server.Issue(["foo"], ["dev", "prod"], admin: true);

        using var promote = DeployApiTests.Authorized(HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote?from=dev", admin);
        using var response = await server.Client.SendAsync(promote);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var auth = Assert.Single(server.Audit.Read(), r => r.Action == "promote" && r.Detail == "token accepted");
        Assert.Equal(("ok", "foo/prod"), (auth.Outcome, auth.Target));
        Assert.DoesNotContain(server.Audit.Read(), r => r.Action == "promote" && r.Outcome != "ok");
    }

    [Fact]
    public async Task Saltenvs_AreFilteredToTheTokensScope()
    {
        await using var server = await TestServer.StartAsync();
        var root = server.IssueRoot();
        await DeployAsync(server, root, "a", "foo");
        await DeployAsync(server, root, "b", "bar");

        var visible = await GetJsonAsync(server, "/api/v1/saltenvs", server.Issue(["bar"]));

        Assert.Equal(["bar/dev"], visible.AsArray().Select(s => s!["saltenv"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Tokens_ListOnlyForARootToken_AndNeverTheSecret()
    {
        await using var server = await TestServer.StartAsync();
        var root = server.IssueRoot();
        var admin = server.Issue(["foo"], admin: true);

        using var refused = DeployApiTests.Authorized(HttpMethod.Get, "/api/v1/tokens", admin);
        using var forbidden = await server.Client.SendAsync(refused);
        var tokens = await GetJsonAsync(server, "/api/v1/tokens", root);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("not a root token", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, tokens.AsArray().Count);
        Assert.DoesNotContain(root, tokens.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(admin, tokens.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal([false, true], tokens.AsArray().Select(t => t!["root"]!.GetValue<bool>()).Order());
    }

    [Fact]
    public async Task HistoryAndDeploys_OfASaltenv_FollowTheTokensScope()
    {
        await using var server = await TestServer.StartAsync();
        var foo = server.Issue(["foo"]);
        await DeployAsync(server, foo, "one");
        await DeployAsync(server, foo, "two");

        var history = await GetJsonAsync(server, "/api/v1/saltenvs/foo/dev/history?limit=1", foo);
        var deploys = await GetJsonAsync(server, "/api/v1/saltenvs/foo/dev/deploys", foo);
        using var other = DeployApiTests.Authorized(HttpMethod.Get, "/api/v1/saltenvs/foo/dev/history", server.Issue(["bar"]));
        using var unknown = DeployApiTests.Authorized(HttpMethod.Get, "/api/v1/saltenvs/foo/qa/history", foo);

        Assert.Equal("deploy", Assert.Single(history.AsArray())!["action"]!.GetValue<string>());
        Assert.Equal(["succeeded", "succeeded"], deploys.AsArray().Select(d => d!["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(unknown)).StatusCode);
    }

    private static async Task<string> DeployAsync(TestServer server, string token, string marker, string project = "foo")
    {
        using var request = DeployApiTests.Raw(token, Bundles.Hello(marker), "application/x-tar", project: project);
        using var response = await server.Client.SendAsync(request);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);
        return events.Single(e => e.Name == "deploy-bundle").Json["release"]!.GetValue<string>();
    }

    private static async Task<JsonNode> GetJsonAsync(TestServer server, string path, string token)
    {
        using var request = DeployApiTests.Authorized(HttpMethod.Get, path, token);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
