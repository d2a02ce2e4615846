using System.Net;
using System.Net.Http.Headers;
using Spiro.Cluster.Metadata;
using Spiro.Core.Tokens;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// Promote through a master that lacks the source release (it was down through that deploy): it
/// makes the source from the cluster first, as a follower would, and both masters serve the result.
/// </summary>
public sealed partial class TwoMasterTests
{
    [ClusterFact]
    public async Task Promote_ThroughAMasterThatNeverHadTheSource_FetchesIt_AndBothServeThePromotedRelease()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        await b.StopAsync();
        var source = new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["files/only-in-source.txt"] = "source\n" };
        var (status, stream) = await DeployAsync(a, source);
        Assert.True(status == HttpStatusCode.OK, stream);
        var sourceId = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 3\n" })).Status);
        await b.StartAgainAsync();
        Assert.Equal(a.Live(SaltEnv), b.Live(SaltEnv));
        Assert.False(Directory.Exists(Path.Combine(b.Data, "releases", sourceId)));

        string token;
        using (var metadata = PostgresMetadataDatabase.OpenDatabase(_database))
        {
            token = new TokenStore(metadata, TimeProvider.System).Issue(new TokenRequest(new TokenScope(["foo"], [], true), "promote", null, null)).Token;
        }

        using (var client = new HttpClient { BaseAddress = b.Url, Timeout = TimeSpan.FromMinutes(3) })
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/saltenvs/foo/prod/promote?from=dev&release={sourceId}"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var promoted = b.Live("foo/prod");
        Assert.NotNull(promoted);
        await EventuallyAsync(() => a.Live("foo/prod") == promoted, $"{a.Name} follows the promote to {promoted}", a);
        foreach (var master in new[] { a, b })
        {
            foreach (var (name, content) in source)
            {
                Assert.Equal(content, await File.ReadAllTextAsync(master.Served("foo/prod", name) ?? throw new Xunit.Sdk.XunitException($"{master.Name} does not serve foo/prod {name}")));
            }
        }

        // B still serves the cluster's live release of the source saltenv, not the one it fetched.
        Assert.Equal(a.Live(SaltEnv), b.Live(SaltEnv));
    }
}
