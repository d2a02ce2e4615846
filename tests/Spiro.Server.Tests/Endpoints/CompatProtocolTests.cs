using System.Net;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;
using Spiro.Testing.Tars;

namespace Spiro.Server.Tests.Endpoints;

public sealed class CompatProtocolTests
{
    [Fact]
    public async Task Deploy_AsPythonRequestsSendsIt_StreamsTheOriginalEventsInOrder()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate());
        using var request = CompatClient.Deploy(server.Issue(["foo"]), Bundles.Hello(), highstate: true);

        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseEvent.ParseAll(body, out _);
        Assert.Equal(["deploy-bundle", "highstate-calc", "highstate-start", "highstate-update", "highstate-update", "highstate-finish"], events.Select(e => e.Name));
        Assert.All(events, e => Assert.IsType<string>(e.Json["msg"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Null(e.Id));
        Assert.DoesNotContain("id:", body, StringComparison.Ordinal);
        Assert.Equal(["minion1", "minion2"], events[2].Json["minions"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("minion1", events[3].Json["minion"]!.GetValue<string>());
        Assert.IsType<JsonObject>(events[3].Json["result"]);
        Assert.Equal(server.LiveRelease("foo", "dev"), events[0].Json["release"]!.GetValue<string>());
        Assert.Matches(@"\Aevent: deploy-bundle\ndata: \{[^\n]*\}\n\n", body);
    }

    [Fact]
    public async Task Deploy_WithoutHighstateField_SendsOnlyDeployBundle()
    {
        var highstate = new ScriptedHighstate();
        await using var server = await TestServer.StartAsync(highstate);
        using var request = CompatClient.Deploy(server.Issue(["foo"], ["dev"]), Bundles.Hello(), highstate: false);

        using var response = await server.Client.SendAsync(request);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);

        Assert.Equal(["deploy-bundle"], events.Select(e => e.Name));
        Assert.Equal(0, highstate.Runs);
    }

    [Fact]
    public async Task Deploy_WithRootToken_PublishesAnyProject()
    {
        await using var server = await TestServer.StartAsync();
        using var request = CompatClient.Deploy(server.IssueRoot(), Bundles.Hello(), "anyproject", "prod");

        using var response = await server.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(server.LiveRelease("anyproject", "prod"));
        Assert.Contains(server.Audit.Read(), row => row.Action == "deploy" && row.Outcome == "ok" && row.Target == "anyproject/prod");
    }

    [Fact]
    public async Task Deploy_WithBundleBeforeFields_Is400WithClearMessage()
    {
        await using var server = await TestServer.StartAsync();
        using var request = CompatClient.Deploy(server.Issue(["foo"]), Bundles.Hello(), bundleFirst: true);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must come before the bundle", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task Deploy_WithInvalidProjectName_Is400QuotingTheRule()
    {
        await using var server = await TestServer.StartAsync();
        using var request = CompatClient.Deploy(server.IssueRoot(), Bundles.Hello(), project: "../etc");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("^[A-Za-z0-9]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithMaliciousBundle_Is400NamingTheEntryAndLiveReleaseUnchanged()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        using (var first = CompatClient.Deploy(token, Bundles.Hello()))
        {
            using var ok = await server.Client.SendAsync(first);
            await ok.Content.ReadAsStringAsync();
        }

        var live = server.LiveRelease("foo", "dev");
        using var request = CompatClient.Deploy(token, TestTar.Bytes(("web/init.sls", "x: y\n"), ("../../evil.sls", "owned")));

        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("../../evil.sls", body, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        Assert.NotNull(live);
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
        Assert.False(File.Exists(Path.Combine(server.Directory, "evil.sls")));
        Assert.False(File.Exists(Path.Combine(server.Data, "evil.sls")));
    }

    [Fact]
    public async Task Deploy_WithContentLengthOverLimit_Is413NamingTheLimit()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxBodySize = 1000 });
        using var request = CompatClient.Deploy(server.Issue(["foo"]), new byte[4096]);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1000 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithChunkedBodyOverLimit_Is413AndPublishesNothing()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxBodySize = 64 << 10 });
        var boundary = Guid.NewGuid().ToString("N");
        using var content = new GeneratedTarContent(256 << 10, boundary);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {server.Issue(["big"])}");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("65536 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("big", "dev"));
    }
}
