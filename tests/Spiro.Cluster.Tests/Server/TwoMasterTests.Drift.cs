using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Npgsql;
using Spiro.Cluster.Metadata;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// Two masters whose data directories drift from the cluster (a restored backup, releases the
/// cluster retired while one was down) and a plan made through one master and applied through the
/// other: the cluster's pointer is what both end up serving, and no history is made up.
/// </summary>
public sealed partial class TwoMasterTests
{
    [ClusterFact]
    public async Task Restart_OfAMasterWhoseSymlinkWasChangedBehindTheCluster_ServesThePointerBeforeItServes()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var release1 = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" })).Status);
        var release2 = a.Live(SaltEnv)!;
        await EventuallyAsync(() => b.Live(SaltEnv) == release2, $"{b.Name} follows to {release2}", b);

        // B's data directory comes back from an older backup: its symlink names release 1, while
        // what B recorded in the cluster still says it serves release 2.
        await b.StopAsync();
        var link = Path.Combine(b.Data, "envs", "foo", "dev");
        var target = new FileInfo(link).LinkTarget!;
        File.Delete(link);
        File.CreateSymbolicLink(link, target.Replace(release2, release1, StringComparison.Ordinal));
        Assert.Equal(release1, b.Live(SaltEnv));

        await b.StartAgainAsync();

        Assert.Equal(release2, b.Live(SaltEnv));
        Assert.Equal("v: 2\n", await File.ReadAllTextAsync(b.Served(SaltEnv, "init.sls")!));
    }

    [ClusterFact]
    public async Task Restart_OfAMasterStillServingAReleaseTheClusterRetired_RecordsNoHistoryForIt_AndCatchesUp()
    {
        var a = await StartAsync("master-a", "keep_releases: 1");
        var b = await StartAsync("master-b", "keep_releases: 1");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var release1 = a.Live(SaltEnv)!;
        await EventuallyAsync(() => b.Live(SaltEnv) == release1, $"{b.Name} follows to {release1}", b);

        // B is down while A's retention retires release 1 (kept: 1).
        await b.StopAsync();
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 3\n" })).Status);
        var release3 = a.Live(SaltEnv)!;

        await b.StartAgainAsync();

        Assert.Equal(release3, b.Live(SaltEnv));
        Assert.False(Directory.Exists(Path.Combine(b.Data, "releases", release1)));
        using var metadata = PostgresMetadataDatabase.OpenDatabase(_database);
        using var connection = (NpgsqlConnection)metadata.Connect();
        Assert.Empty(Rows(connection, "SELECT release_id FROM release_history WHERE action = 'recover'"));
        Assert.Equal([release3], Rows(connection, "SELECT id FROM releases WHERE saltenv = 'foo/dev' AND removed_at IS NULL"));
    }

    [ClusterFact]
    public async Task Plan_MadeThroughOneMaster_AppliedThroughTheOther_GoesLiveOnBoth()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var planned = new Dictionary<string, string> { ["init.sls"] = "v: planned\n", ["files/new.txt"] = "new\n" };

        string planId;
        using (var client = new HttpClient { BaseAddress = a.Url })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/plans?project=foo&deployment=dev&test=false") { Content = new ByteArrayContent(Bundle(planned)) })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await client.SendAsync(request);
            var stream = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, stream);
            planId = Regex.Match(stream, "\"plan_id\":\"([^\"]+)\"").Groups[1].Value;
            Assert.True(planId.Length > 0, stream);
        }

        Assert.False(Directory.Exists(Path.Combine(b.Data, "releases", planId)));
        using (var client = new HttpClient { BaseAddress = b.Url, Timeout = TimeSpan.FromMinutes(3) })
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{planId}/apply?project=foo&deployment=dev&highstate=false"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await client.SendAsync(request);
            var stream = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, stream);
            Assert.Contains("\"status\":\"succeeded\"", stream.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Equal(planId, b.Live(SaltEnv));
        await EventuallyAsync(() => a.Live(SaltEnv) == planId, $"{a.Name} follows the applied plan {planId}", a);
        AssertServedAlike(a, b, planned);
    }
}
