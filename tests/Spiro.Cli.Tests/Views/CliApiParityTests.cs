using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Cli.Tests.Releases;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Cli.Tests.Views;

/// <summary>
/// One view per resource: the CLI's <c>--json</c> and the v1 API serve the same records, so for the
/// same data directory they print the same JSON (whitespace aside), with times as RFC 3339 UTC <c>Z</c>.
/// </summary>
public sealed partial class CliApiParityTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new();
    private TestServer _server = null!;
    private string _root = "";

    public async Task InitializeAsync()
    {
        await PublishAsync("foo/dev", "1");
        _server = await TestServer.StartAsync(data: _cli.Data);
        _root = _server.IssueRoot();
        await DeployThroughApiAsync("foo", "dev", "2");

        // The scripted Salt boundary keeps no results; store one run as the real one does.
        var live = _server.LiveRelease("foo", "dev")!;
        var minions = new[] { MinionSummary.NeverReturned("minion2"), MinionSummarizer.Summarize("minion1", CmdIterResult.Returned("1", new JsonObject(), 0)) };
        new HighstateResultStore(_server.App.Services.GetRequiredService<MetadataDatabase>())
            .Record(new HighstateRun("run-1", live, new SaltEnvName("foo", "dev"), Test: false, DateTimeOffset.UtcNow, [.. minions.OrderBy(m => m.Minion, StringComparer.Ordinal)]));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ListingVerbs_PrintWhatTheApiSends_ForTheSameResource()
    {
        await AssertSameAsync(["deployments"], "/api/v1/saltenvs");
        await AssertSameAsync(["releases", "foo/dev"], "/api/v1/saltenvs/foo/dev/releases");
        await AssertSameAsync(["history", "foo/dev"], "/api/v1/saltenvs/foo/dev/history");
        await AssertSameAsync(["history", "foo/dev", "--limit", "1"], "/api/v1/saltenvs/foo/dev/history?limit=1");
        await AssertSameAsync(["deploys", "foo/dev"], "/api/v1/saltenvs/foo/dev/deploys");

        // The API's own request updates the root token's last_used; the CLI reads it afterwards.
        var api = await GetAsync("/api/v1/tokens");
        var cli = await CliJsonAsync("token", "list");
        Assert.True(JsonNode.DeepEquals(api, cli), $"API {api.ToJsonString()}\nCLI {cli.ToJsonString()}");
    }

    [Fact]
    public async Task Listings_CarryTheReleaseHighstateAndTimesInUtcWithZ()
    {
        var releases = (await GetAsync("/api/v1/saltenvs/foo/dev/releases")).AsArray();
        var deployed = releases.Single(r => r!["live"]!.GetValue<bool>())!;
        Assert.Single(deployed["highstate"]!.AsArray());
        Assert.Equal(["minion1", "minion2"], deployed["highstate"]![0]!["minions"]!.AsObject().Select(p => p.Key));

        var times = new List<string>();
        foreach (var path in new[] { "/api/v1/saltenvs", "/api/v1/saltenvs/foo/dev/releases", "/api/v1/saltenvs/foo/dev/history", "/api/v1/saltenvs/foo/dev/deploys", "/api/v1/tokens" })
        {
            Times(await GetAsync(path), times);
        }

        Assert.True(times.Count >= 8, string.Join(", ", times));
        Assert.All(times, time => Assert.Matches(UtcTime(), time));
    }

    [Fact]
    public async Task ChangingVerbs_AndTheirRoutes_AnswerTheSameShape()
    {
        var releases = (await GetAsync("/api/v1/saltenvs/foo/dev/releases")).AsArray();
        var older = releases[^1]!["id"]!.GetValue<string>();

        var cliRollback = await CliJsonAsync("rollback", "foo/dev", "--to", older);
        var apiRollback = await PostAsync($"/api/v1/saltenvs/foo/dev/rollback?release={older}", HttpMethod.Post);
        AssertSameShape(cliRollback, apiRollback);
        Assert.Equal(older, apiRollback["release"]!["id"]!.GetValue<string>());
        Assert.False(apiRollback["changed"]!.GetValue<bool>());

        var cliPromote = await CliJsonAsync("promote", "foo/dev", "foo/qa");
        var apiPromote = await PostAsync("/api/v1/saltenvs/foo/prod/promote?from=dev", HttpMethod.Post);
        AssertSameShape(cliPromote, apiPromote);
        Assert.Equal("foo/dev", apiPromote["source_saltenv"]!.GetValue<string>());
        Assert.Equal(older, apiPromote["source_release"]!.GetValue<string>());

        var cliDelete = await CliJsonAsync("delete", "foo/qa", "--yes");
        var apiDelete = await PostAsync("/api/v1/saltenvs/foo/prod", HttpMethod.Delete);
        AssertSameShape(cliDelete, apiDelete);
        Assert.Equal(apiPromote["release"]!["id"]!.GetValue<string>(), apiDelete["previous"]!.GetValue<string>());
    }

    private async Task AssertSameAsync(string[] verb, string path)
    {
        var api = await GetAsync(path);
        var cli = await CliJsonAsync(verb);
        Assert.True(JsonNode.DeepEquals(api, cli), $"{string.Join(' ', verb)} vs {path}\nAPI {api.ToJsonString()}\nCLI {cli.ToJsonString()}");
        Assert.NotEmpty(api.AsArray());
    }

    /// <summary>The same keys in the same order, and the same kind of value under each, all the way down.</summary>
    private static void AssertSameShape(JsonNode? cli, JsonNode? api)
    {
        Assert.Equal(Kind(cli), Kind(api));
        if (cli is JsonObject cliObject && api is JsonObject apiObject)
        {
            Assert.Equal(cliObject.Select(p => p.Key), apiObject.Select(p => p.Key));
            foreach (var (key, value) in cliObject)
            {
                AssertSameShape(value, apiObject[key]);
            }
        }
    }

    private static JsonValueKind? Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.False => JsonValueKind.True,
        var kind => kind,
    };

    private static void Times(JsonNode? node, List<string> times)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Times(item, times);
                }

                break;
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key is "created" or "at" or "published_at" or "finished" or "finished_at" or "expires" or "last_used" && value is JsonValue)
                    {
                        times.Add(value.GetValue<string>());
                    }
                    else
                    {
                        Times(value, times);
                    }
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]
    private static partial Regex UtcTime();

    private async Task PublishAsync(string saltEnv, string version)
    {
        var bundle = _cli.Bundle($"{saltEnv.Replace('/', '-')}-{version}.tar", new Dictionary<string, string> { ["init.sls"] = version });
        var (exitCode, _, error) = await _cli.RunAsync("publish", saltEnv, bundle);
        Assert.True(exitCode == 0, error);
    }

    private async Task DeployThroughApiAsync(string project, string deployment, string version)
    {
        var bundle = _cli.Bundle($"api-{version}.tar", new Dictionary<string, string> { ["init.sls"] = version });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deploys?project={project}&deployment={deployment}&highstate=true")
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(bundle)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _root);
        using var response = await _server.Client.SendAsync(request);
        var events = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, events);
        Assert.Contains("\"status\":\"succeeded\"", events, StringComparison.Ordinal);
    }

    private async Task<JsonNode> GetAsync(string path) => await PostAsync(path, HttpMethod.Get);

    private async Task<JsonNode> PostAsync(string path, HttpMethod method)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _root);
        using var response = await _server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonNode> CliJsonAsync(params string[] args)
    {
        var (code, output, error) = await _cli.RunAsync([.. args, "--json"]);
        Assert.True(code == 0, $"spiro {string.Join(' ', args)}: {error}");
        return JsonNode.Parse(output)!;
    }
}
