using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;
using Spiro.Testing.Tars;

namespace Spiro.Server.Tests.Endpoints;

public sealed class DeployApiTests
{
    [Fact]
    public async Task Deploy_WithGzipBody_StreamsEventsWithIdsAndTheDeployIdFirst()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate());
        var token = server.Issue(["foo"]);
        using var request = Raw(token, Gzip(Bundles.Hello()), "application/gzip", "highstate=true&test=true");

        using var response = await server.Client.SendAsync(request);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();
        Assert.Equal("deploy-start", events[0].Name);
        Assert.Equal(deployId, events[0].Json["deploy_id"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long?)i), events.Select(e => e.Id));
        Assert.Contains(events, e => e.Name == "deploy-bundle");
        Assert.Equal(2, events.Count(e => e.Name == "highstate-update"));
        Assert.Equal("deploy-finish", events[^1].Name);
        Assert.Equal("succeeded", events[^1].Json["status"]!.GetValue<string>());

        using var status = Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}", token);
        var deploy = JsonNode.Parse(await (await server.Client.SendAsync(status)).Content.ReadAsStringAsync())!;
        Assert.Equal("succeeded", deploy["status"]!.GetValue<string>());
        Assert.True(deploy["test"]!.GetValue<bool>());
        Assert.Equal(server.LiveRelease("foo", "dev"), deploy["release"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deploy_WithMaliciousBundle_EndsWithExceptionAndLiveReleaseUnchanged()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        using (var first = Raw(token, Bundles.Hello(), "application/x-tar"))
        {
            await (await server.Client.SendAsync(first)).Content.ReadAsStringAsync();
        }

        var live = server.LiveRelease("foo", "dev");
        using var request = Raw(token, TestTar.Bytes(("/etc/passwd", "x")), "application/x-tar");

        var events = SseEvent.ParseAll(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync(), out _);

        Assert.Contains(events, e => e.Name == "exception" && e.Json["msg"]!.GetValue<string>().Contains("/etc/passwd", StringComparison.Ordinal));
        Assert.Equal("rejected", events[^1].Json["status"]!.GetValue<string>());
        Assert.Equal(live, server.LiveRelease("foo", "dev"));
    }

    [Fact]
    public async Task Info_AndHealth_AndMetrics_AnswerWithoutToken()
    {
        await using var server = await TestServer.StartAsync();
        using (var deploy = Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar"))
        {
            await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();
        }

        var info = JsonNode.Parse(await server.Client.GetStringAsync(new Uri("/api/v1/info", UriKind.Relative)))!;
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("resume", info["features"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("ok\n", await server.Client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Contains("spiro_deploys_total{result=\"succeeded\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("spiro_publish_duration_seconds_count 1", metrics, StringComparison.Ordinal);
        Assert.Matches(@"spiro_bytes_received_total [1-9]", metrics);
    }

    [Fact]
    public async Task Metrics_CountMinionResultsOfAHighstate()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(minions: 3));
        using (var deploy = Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar", "highstate=true"))
        {
            await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();
        }

        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("spiro_highstate_minions_total{result=\"succeeded\"} 3", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountADownMinionOnce_AsNoReturn()
    {
        // Old code: the runner summarised each update again ({"failed": true} counted as succeeded) and
        // then added every "missing" minion on top.
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(minions: 3, down: 1));
        using (var deploy = Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar", "highstate=true"))
        {
            await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();
        }

        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("spiro_highstate_minions_total{result=\"succeeded\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("spiro_highstate_minions_total{result=\"no-return\"} 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithTolerateMissing_IsRecordedAndReachesTheHighstate()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(minions: 2, down: 1));
        string body;
        using (var deploy = Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar", "highstate=true&tolerate_missing=true"))
        {
            body = await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();
        }

        var finish = body.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"tolerate_missing\"", StringComparison.Ordinal));
        Assert.Contains("\"tolerate_missing\":true", finish, StringComparison.Ordinal);
        Assert.Contains("\"passed\":true", finish, StringComparison.Ordinal);
        Assert.Contains("\"missing\":[\"minion2\"]", finish, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithABadTolerateMissingValue_IsRefusedNamingTheParameter()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate());
        using var deploy = Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar", "highstate=true&tolerate_missing=maybe");

        using var response = await server.Client.SendAsync(deploy);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tolerate_missing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static HttpRequestMessage Raw(string token, byte[] body, string contentType, string extraQuery = "", string project = "foo", string deployment = "dev")
    {
        var query = $"project={project}&deployment={deployment}" + (extraQuery.Length > 0 ? "&" + extraQuery : "");
        var request = Authorized(HttpMethod.Post, $"/api/v1/deploys?{query}", token);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return request;
    }

    internal static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
