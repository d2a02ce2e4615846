using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Cli.Tests.Releases;

/// <summary><c>spiro releases</c> shows the highstate results kept with each release (issue #6 item 1).</summary>
public sealed class ReleasesHighstateTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    private async Task<string> PublishAsync(string version)
    {
        var bundle = _cli.Bundle($"dev-{version}.tar", new Dictionary<string, string> { ["init.sls"] = version });
        var (exitCode, output, error) = await _cli.RunAsync("publish", "foo/dev", bundle);
        Assert.True(exitCode == 0, error);
        return output.Split(' ')[3];
    }

    private void Record(string releaseId, string runId, params MinionSummary[] minions)
    {
        var saltEnv = SaltEnvName.TryParse("foo/dev", out _)!;
        new HighstateResultStore(MetadataDatabase.Open(Path.Combine(_cli.Data, "spiro.db")))
            .Record(new HighstateRun(runId, releaseId, saltEnv, false, new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero), minions));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Releases_ShowsEachReleasesHighstateSummaryAndFullResultsInJson()
    {
        var first = await PublishAsync("1");
        var second = await PublishAsync("2");
        Record(
            second,
            "run-1",
            new MinionSummary("m1", MinionOutcome.Succeeded, 2, 1, 0, 0, [], [], 120.5, 0),
            MinionSummary.NeverReturned("m2"));

        var (code, table, error) = await _cli.RunAsync("releases", "foo/dev");
        Assert.True(code == 0, error);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("HIGHSTATE", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("m1 ok=2 changed=1 failed=0; m2 no-return", Assert.Single(rows, r => r.Contains(second, StringComparison.Ordinal)).TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("publish", Assert.Single(rows, r => r.Contains(first, StringComparison.Ordinal)).TrimEnd(), StringComparison.Ordinal);

        (code, var json, error) = await _cli.RunAsync("releases", "foo/dev", "--json");
        Assert.True(code == 0, error);
        var releases = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        var run = Assert.Single(releases.Single(r => r.GetProperty("id").GetString() == second).GetProperty("highstate").EnumerateArray().ToList());
        Assert.Equal("run-1", run.GetProperty("run_id").GetString());
        Assert.False(run.GetProperty("test").GetBoolean());
        var m1 = run.GetProperty("minions").GetProperty("m1");
        Assert.Equal("succeeded", m1.GetProperty("outcome").GetString());
        Assert.Equal(1, m1.GetProperty("changed").GetInt32());
        Assert.Equal("no-return", run.GetProperty("minions").GetProperty("m2").GetProperty("outcome").GetString());
        Assert.Equal(0, releases.Single(r => r.GetProperty("id").GetString() == first).GetProperty("highstate").GetArrayLength());
    }
}
