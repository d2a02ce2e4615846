using System.Text.Json;

namespace Spiro.Cli.Tests.Releases;

public sealed class HistoryCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> PublishAsync(string saltEnv, string version)
    {
        var bundle = _cli.Bundle($"{saltEnv.Replace('/', '-')}-{version}.tar", new Dictionary<string, string> { ["init.sls"] = version });
        var (exitCode, output, error) = await _cli.RunAsync("publish", saltEnv, bundle);
        Assert.True(exitCode == 0, error);
        return output.Split(' ')[3];
    }

    [Fact]
    public async Task History_AfterTwoPublishesAndARollback_ListsThreeRowsNewestFirst()
    {
        var first = await PublishAsync("foo/dev", "1");
        var second = await PublishAsync("foo/dev", "2");
        var (code, _, error) = await _cli.RunAsync("rollback", "foo/dev");
        Assert.True(code == 0, error);

        (code, var output, error) = await _cli.RunAsync("history", "foo/dev", "--json");

        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["rollback", "publish", "publish"], rows.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal([first, second, first], rows.Select(r => r.GetProperty("release").GetString()));
        Assert.Equal(["at", "saltenv", "action", "release", "actor", "detail"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal($"from {second}", rows[0].GetProperty("detail").GetString());
        Assert.StartsWith("cli:", rows[0].GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal("foo/dev", r.GetProperty("saltenv").GetString()));
    }

    [Fact]
    public async Task History_WithLimitAndAsTable_ShowsOnlyTheNewestRows()
    {
        await PublishAsync("foo/dev", "1");
        var second = await PublishAsync("foo/dev", "2");

        var (code, output, _) = await _cli.RunAsync("history", "foo/dev", "--limit", "1");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("WHEN", lines[0], StringComparison.Ordinal);
        Assert.Contains(second, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_OfADeletedSaltEnv_KeepsTheDeleteRow()
    {
        await PublishAsync("foo/dev", "1");
        var (code, _, error) = await _cli.RunAsync("delete", "foo/dev", "--yes");
        Assert.True(code == 0, error);

        (code, var output, error) = await _cli.RunAsync("history", "foo/dev", "--json");

        Assert.True(code == 0, error);
        var newest = JsonDocument.Parse(output).RootElement.EnumerateArray().First();
        Assert.Equal("delete", newest.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("release").ValueKind);
    }

    [Fact]
    public async Task History_OfUnknownOrBadSaltEnv_ExitsRejectedOrUsage()
    {
        await PublishAsync("foo/dev", "1");

        var (code, _, error) = await _cli.RunAsync("history", "foo/nope");
        Assert.Equal(1, code);
        Assert.Contains("unknown saltenv foo/nope", error, StringComparison.Ordinal);

        (code, _, error) = await _cli.RunAsync("history", "foo/-bad");
        Assert.Equal(2, code);
        Assert.Contains("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", error, StringComparison.Ordinal);
    }
}
