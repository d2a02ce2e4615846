using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Tests.Support;
using Spiro.Core.Tokens;
using Spiro.Testing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// Rollback, promote and delete wait for the other masters as a deploy does (docs/cluster.md):
/// through a master's routes the answer comes once every live master serves the change, or after
/// <c>cluster.apply_timeout</c> with a warning naming the laggard; with <c>spiro ... --config</c>
/// the same wait, and exit 6 naming the laggard. A laggard here is a master hung with SIGSTOP: it
/// stays live (its last heartbeat is recent) but follows nothing until it is resumed.
/// </summary>
public sealed partial class TwoMasterTests
{
    [ClusterFact]
    public async Task Rollback_Promote_AndDelete_ThroughAMaster_WaitForTheOther_AndNameItWhenItDoesNotFollow()
    {
        var a = await StartAsync("master-a", "  apply_timeout: 4s");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var release1 = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" })).Status);
        var release2 = a.Live(SaltEnv)!;

        // Both follow: the answer comes once B serves the rollback too, with no warning.
        var (status, body) = await AdminJsonAsync(a, HttpMethod.Post, $"/api/v1/saltenvs/{SaltEnv}/rollback");
        Assert.True(status == HttpStatusCode.OK, body.RootElement.ToString());
        Assert.Equal(release1, b.Live(SaltEnv));
        Assert.Empty(body.RootElement.GetProperty("warnings").EnumerateArray());

        // B hangs: the rollback stands (A serves it), and its answer names B after the timeout.
        b.Pause();
        var clock = Stopwatch.StartNew();
        try
        {
            (status, body) = await AdminJsonAsync(a, HttpMethod.Post, $"/api/v1/saltenvs/{SaltEnv}/rollback?release={release2}");
        }
        finally
        {
            b.Resume();
        }

        Assert.True(status == HttpStatusCode.OK, body.RootElement.ToString());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4), $"answered after {clock.Elapsed}, before cluster.apply_timeout");
        var warning = Assert.Single(body.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith($"Master master-b did not serve release {release2} of foo/dev within 4 s (cluster.apply_timeout)", warning, StringComparison.Ordinal);
        Assert.Contains("it is live on master-a", warning, StringComparison.Ordinal);
        Assert.Equal(release2, a.Live(SaltEnv));
        await EventuallyAsync(() => b.Live(SaltEnv) == release2, $"{b.Name} follows the rollback once resumed", b);

        // A promote into foo/prod waits the same way.
        b.Pause();
        try
        {
            (status, body) = await AdminJsonAsync(a, HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote?from=dev", PromoteToken());
        }
        finally
        {
            b.Resume();
        }

        Assert.True(status == HttpStatusCode.OK, body.RootElement.ToString());
        var promoted = body.RootElement.GetProperty("release").GetProperty("id").GetString()!;
        Assert.Contains(body.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith($"Master master-b did not serve release {promoted} of foo/prod", StringComparison.Ordinal));
        await EventuallyAsync(() => b.Live("foo/prod") == promoted, $"{b.Name} follows the promote once resumed", b);

        // And a delete.
        b.Pause();
        try
        {
            (status, body) = await AdminJsonAsync(a, HttpMethod.Delete, $"/api/v1/saltenvs/{SaltEnv}");
        }
        finally
        {
            b.Resume();
        }

        Assert.True(status == HttpStatusCode.OK, body.RootElement.ToString());
        Assert.Contains(body.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("Master master-b did not follow the delete of foo/dev within 4 s", StringComparison.Ordinal));
        Assert.Null(a.Live(SaltEnv));
        await EventuallyAsync(() => b.Live(SaltEnv) is null, $"{b.Name} follows the delete once resumed", b);
    }

    [ClusterFact]
    public async Task RollbackAndDelete_WithConfig_WaitForTheLiveMasters_AndExitSixNamingALaggard()
    {
        var a = await StartAsync("master-a", "  apply_timeout: 4s");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var release1 = a.Live(SaltEnv)!;
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" })).Status);
        var release2 = a.Live(SaltEnv)!;
        var config = Path.Combine(a.Root, "serve.yaml");

        b.Pause();
        CommandResult waited, unwaited;
        try
        {
            waited = await ProcessRunner.RunAsync(RepoPaths.SpiroCli, ["rollback", "--config", config, "--data", a.Data, SaltEnv], TimeSpan.FromMinutes(2));
            unwaited = await ProcessRunner.RunAsync(RepoPaths.SpiroCli, ["rollback", "--config", config, "--data", a.Data, SaltEnv, "--to", release2, "--no-wait"], TimeSpan.FromMinutes(2));
        }
        finally
        {
            b.Resume();
        }

        Assert.True(waited.ExitCode == 6, waited.ToString());
        Assert.Contains($"now serves release {release1}", waited.Output, StringComparison.Ordinal);
        Assert.Contains("Master master-a serves release", waited.Error, StringComparison.Ordinal);
        Assert.Contains($"error: Master master-b did not serve release {release1} of foo/dev within 4 s (cluster.apply_timeout)", waited.Error, StringComparison.Ordinal);
        Assert.True(unwaited.ExitCode == 0, unwaited.ToString());
        Assert.DoesNotContain("Master master-b", unwaited.Error, StringComparison.Ordinal);
        await EventuallyAsync(() => b.Live(SaltEnv) == release2, $"{b.Name} follows once resumed", b);

        // With both following, the delete answers once B no longer serves the saltenv.
        var deleted = await ProcessRunner.RunAsync(RepoPaths.SpiroCli, ["delete", "--config", config, "--data", a.Data, SaltEnv, "--yes", "--json"], TimeSpan.FromMinutes(2));

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Null(b.Live(SaltEnv));
        Assert.Contains("Master master-b follows the delete of foo/dev", deleted.Error, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(deleted.Output).RootElement.GetProperty("warnings").EnumerateArray());
    }

    [ClusterFact]
    public async Task AMastersErrorAboutOneRelease_IsNotShownAgainstALaterOne_InTheDeployOrTheStatus()
    {
        var a = await StartAsync("master-a", "  apply_timeout: 4s");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);

        // B cannot make release 2 (its staging directory is a file) and says why.
        var staging = Path.Combine(b.Data, "staging", "foo", "dev");
        Directory.Delete(staging, recursive: true);
        await File.WriteAllTextAsync(staging, "in the way\n");
        var (_, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 2\n" });
        var release2 = a.Live(SaltEnv)!;
        Assert.Contains($"Master master-b could not apply release {release2} of foo/dev yet: release {release2}:", stream, StringComparison.Ordinal);

        // Hung before it tried release 3, B has said nothing about it: its error about release 2 is not shown as release 3's.
        b.Pause();
        try
        {
            (_, stream) = await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 3\n" });
            var release3 = a.Live(SaltEnv)!;
            Assert.Contains($"Master master-b did not serve release {release3} of foo/dev within 4 s", stream, StringComparison.Ordinal);
            Assert.DoesNotContain($"release {release2}", stream, StringComparison.Ordinal);
            var json = await StatusJsonAsync(a);
            var serving = json.RootElement.GetProperty("masters").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "master-b")
                .GetProperty("saltenvs").EnumerateArray().Single(e => e.GetProperty("saltenv").GetString() == SaltEnv);
            Assert.True(serving.GetProperty("behind").GetBoolean());
            Assert.Equal(JsonValueKind.Null, serving.GetProperty("error").ValueKind);
        }
        finally
        {
            b.Resume();
        }

        // Resumed, B tries release 3 and its error is about release 3.
        var latest = a.Live(SaltEnv)!;
        using var client = new HttpClient { BaseAddress = b.Url };
        await EventuallyAsync(() => client.GetStringAsync("/healthz").Result.Contains($"(release {latest}:", StringComparison.Ordinal), $"{b.Name}'s /healthz names release {latest}'s error", b);
        File.Delete(staging);
        await EventuallyAsync(() => b.Live(SaltEnv) == latest, $"{b.Name} follows once it can", b);
    }

    private string PromoteToken()
    {
        using var metadata = PostgresMetadataDatabase.OpenDatabase(_database);
        return new TokenStore(metadata, TimeProvider.System).Issue(new TokenRequest(new TokenScope(["foo"], ["dev", "prod"], true), "promoter", null, null)).Token;
    }

    private async Task<(HttpStatusCode Status, JsonDocument Body)> AdminJsonAsync(ClusterMaster master, HttpMethod method, string path, string? token = null)
    {
        using var client = new HttpClient { BaseAddress = master.Url, Timeout = TimeSpan.FromMinutes(3) };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? _admin);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }
}
