using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spiro.Testing.Store;

namespace Spiro.Cli.Tests.Releases;

public sealed class StoreVerbsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> PublishAsync(string saltEnv, string version)
    {
        var bundle = _cli.Bundle($"{saltEnv.Replace('/', '-')}-{version}.tar", new Dictionary<string, string> { ["init.sls"] = version, [".gitcommit"] = $"c{version}\nheads/main\n" });
        var (exitCode, output, error) = await _cli.RunAsync("publish", saltEnv, bundle);
        Assert.True(exitCode == 0, error);
        return output.Split(' ')[3];
    }

    [Fact]
    public async Task Publish_ThenListing_PrintsStableJson()
    {
        var id = await PublishAsync("foo/dev", "1");

        var (code, output, _) = await _cli.RunAsync("deployments", "--json");
        Assert.Equal(0, code);
        var deployment = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray().ToList());
        Assert.Equal(["saltenv", "project", "deployment", "live_release", "published_at", "published_by"], deployment.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, deployment.GetProperty("live_release").GetString());
        Assert.Equal("foo", deployment.GetProperty("project").GetString());

        (code, output, _) = await _cli.RunAsync("releases", "foo/dev", "--json");
        Assert.Equal(0, code);
        var release = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray().ToList());
        Assert.Equal(["id", "saltenv", "created", "size", "file_count", "source_commit", "published_by", "how", "live", "highstate"], release.EnumerateObject().Select(p => p.Name));
        Assert.Equal("c1", release.GetProperty("source_commit").GetString());
        Assert.Equal("publish", release.GetProperty("how").GetString());
        Assert.True(release.GetProperty("live").GetBoolean());
    }

    [Fact]
    public async Task Rollback_Promote_Delete_Gc_WorkEndToEnd()
    {
        var first = await PublishAsync("foo/dev", "1");
        await PublishAsync("foo/dev", "2");

        var (code, output, error) = await _cli.RunAsync("rollback", "foo/dev");
        Assert.True(code == 0, error);
        Assert.Contains($"now serves release {first}", output, StringComparison.Ordinal);

        (code, output, error) = await _cli.RunAsync("promote", "foo/dev", "foo/prod");
        Assert.True(code == 0, error);
        Assert.Equal("1", File.ReadAllText(Path.Combine(_cli.Data, "envs/foo/prod/init.sls")));

        (code, _, error) = await _cli.RunAsync("delete", "foo/prod", "--yes");
        Assert.True(code == 0, error);
        Assert.False(Path.Exists(Path.Combine(_cli.Data, "envs/foo/prod")));

        (code, output, _) = await _cli.RunAsync("gc", "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("would remove 0 objects", output, StringComparison.Ordinal);

        (code, output, _) = await _cli.RunAsync("audit", "--json", "--limit", "2");
        Assert.Equal(["promote", "delete"], JsonDocument.Parse(output).RootElement.EnumerateArray().Select(r => r.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task BadNames_ExitWithUsageAndQuoteTheRule()
    {
        var (code, _, error) = await _cli.RunAsync("releases", "foo/-bad");

        Assert.Equal(2, code);
        Assert.Contains("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSaltEnv_IsAClearError()
    {
        await PublishAsync("foo/dev", "1");

        var (code, _, error) = await _cli.RunAsync("rollback", "foo/nope");
        Assert.Equal(1, code);
        Assert.Contains("unknown saltenv foo/nope", error, StringComparison.Ordinal);

        (code, _, error) = await _cli.RunAsync("releases", "foo/nope");
        Assert.Equal(1, code);
        Assert.Contains("unknown saltenv foo/nope", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_OfAConfinedProjectToARelease_FromBeforeTheConfinement_ExitsOneAndChangesNothing()
    {
        async Task<string> PublishTopAsync(string version)
        {
            var bundle = _cli.Bundle($"top-{version}.tar", new Dictionary<string, string> { ["spirotop.sls"] = "dev:\n  '*':\n    - web\n", ["web/init.sls"] = version });
            var (exitCode, output, error) = await _cli.RunAsync("publish", "foo/dev", bundle);
            Assert.True(exitCode == 0, error);
            return output.Split(' ')[3];
        }

        await PublishTopAsync("1");
        var (code, _, error) = await _cli.RunAsync("project", "set", "foo", "--allow-targets", "m1");
        Assert.True(code == 0, error);
        var confined = await PublishTopAsync("2");

        (code, _, error) = await _cli.RunAsync("rollback", "foo/dev");

        Assert.Equal(1, code);
        Assert.Contains("top-not-confined", error, StringComparison.Ordinal);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_cli.Data, "envs/foo/dev/web/init.sls")));
        Assert.EndsWith(confined, new FileInfo(Path.Combine(_cli.Data, "envs/foo/dev")).LinkTarget, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithoutYesAndNoTerminal_DeletesNothing()
    {
        await PublishAsync("foo/dev", "1");

        var (code, _, _) = await _cli.RunAsync("delete", "foo/dev");

        Assert.Equal(2, code);
        Assert.True(Path.Exists(Path.Combine(_cli.Data, "envs/foo/dev")));
    }

    [Fact]
    public async Task Publish_WhileLockedByAnotherProcess_ExitsLockedNamingTheWait()
    {
        await PublishAsync("foo/dev", "1");
        var lockFile = Path.Combine(_cli.Data, "locks/foo/dev.lock");
        int code;
        string error;
        using (OtherProcessLock.Hold(lockFile))
        {
            (code, _, error) = await _cli.RunAsync("publish", "foo/dev", _cli.Bundle("x.tar", new Dictionary<string, string> { ["a"] = "b" }), "--lock-timeout", "0.5");
        }

        Assert.Equal(3, code);
        Assert.Contains("foo/dev is locked by", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_PassesThenDetectsATamperedRow()
    {
        await PublishAsync("foo/dev", "1");
        await PublishAsync("foo/dev", "2");

        var (code, output, _) = await _cli.RunAsync("audit", "--verify");
        Assert.Equal(0, code);
        Assert.Contains("audit chain intact", output, StringComparison.Ordinal);

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_cli.Data, "spiro.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1";
            command.ExecuteNonQuery();
        }

        string error;
        (code, _, error) = await _cli.RunAsync("audit", "--verify");
        Assert.Equal(1, code);
        Assert.Contains("row 1", error, StringComparison.Ordinal);
    }
}
