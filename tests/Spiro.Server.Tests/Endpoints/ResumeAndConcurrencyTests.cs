using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

public sealed class ResumeAndConcurrencyTests
{
    [Fact]
    public async Task Events_AfterDroppedConnection_ResumeWithLastEventIdExactlyOnce()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(TimeSpan.FromMilliseconds(400), minions: 4));
        var token = server.Issue(["foo"]);
        using var request = DeployApiTests.Raw(token, Bundles.Hello(), "application/x-tar", "highstate=true");

        // Read until the first minion reports, then drop the connection.
        var seen = new List<SseEvent>();
        string deployId;
        using (var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await foreach (var item in ReadEvents(reader))
            {
                seen.Add(item);
                if (item.Name == "highstate-update")
                {
                    break;
                }
            }
        }

        using var resume = DeployApiTests.Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}/events", token);
        resume.Headers.Add("Last-Event-ID", seen[^1].Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await server.Client.SendAsync(resume);
        var rest = SseEvent.ParseAll(await resumed.Content.ReadAsStringAsync(), out _);

        var all = seen.Concat(rest).ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long?)i), all.Select(e => e.Id));
        Assert.Equal(4, all.Count(e => e.Name == "highstate-update"));
        Assert.Equal(["minion1", "minion2", "minion3", "minion4"], all.Where(e => e.Name == "highstate-update").Select(e => e.Json["minion"]!.GetValue<string>()));
        Assert.Equal("deploy-finish", all[^1].Name);
        Assert.Equal("succeeded", all[^1].Json["status"]!.GetValue<string>());

        // ?after= re-reads the whole stream of a finished deploy.
        using var again = DeployApiTests.Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}/events?after=0", token);
        var replay = SseEvent.ParseAll(await (await server.Client.SendAsync(again)).Content.ReadAsStringAsync(), out _);
        Assert.Equal(all.Select(e => e.Data), replay.Select(e => e.Data));
    }

    [Fact]
    public async Task Events_OfAnotherProjectsDeploy_AreForbidden()
    {
        await using var server = await TestServer.StartAsync();
        using var request = DeployApiTests.Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar");
        using var response = await server.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        var deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();

        using var other = DeployApiTests.Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}/events", server.Issue(["bar"]));

        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(other)).StatusCode);
    }

    [Fact]
    public async Task Deploy_TwoClientsToOneSaltenv_BothPublishOneAfterTheOther()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            using var request = CompatClient.Deploy(token, Bundles.Hello($"client{i}"));
            using var response = await server.Client.SendAsync(request);
            return (response.StatusCode, Events: SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _));
        }));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var releases = results.Select(r => r.Events.Single().Json["release"]!.GetValue<string>()).ToList();
        Assert.Equal(2, releases.Distinct().Count());
        Assert.Contains(server.LiveRelease("foo", "dev"), releases);
        var live = File.ReadAllText(Path.Combine(server.Data, "envs", "foo", "dev", "web", "init.sls"));
        Assert.Matches("contents: client[01]", live);
    }

    [Fact]
    public async Task Deploy_TwentyClientsToDifferentSaltenvs_AllPublish()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxConcurrentDeploys = 4 });
        var token = server.IssueRoot();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var request = DeployApiTests.Raw(token, Bundles.Hello($"p{i}"), "application/x-tar", project: $"p{i}", deployment: "dev");
            using var response = await server.Client.SendAsync(request);
            var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync(), out _);
            return events[^1].Json["status"]!.GetValue<string>();
        }));

        Assert.All(statuses, s => Assert.Equal("succeeded", s));
        Assert.All(Enumerable.Range(0, 20), i => Assert.NotNull(server.LiveRelease($"p{i}", "dev")));
        using var list = DeployApiTests.Authorized(HttpMethod.Get, "/api/v1/saltenvs", token);
        var saltenvs = JsonNode.Parse(await (await server.Client.SendAsync(list)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(20, saltenvs.Count);
    }

    private static async IAsyncEnumerable<SseEvent> ReadEvents(StreamReader reader)
    {
        var block = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                block.Append(line).Append('\n');
                continue;
            }

            if (block.Length > 0 && block[0] != ':')
            {
                yield return SseEvent.Parse(block.ToString().TrimEnd('\n'));
            }

            block.Clear();
        }
    }
}
