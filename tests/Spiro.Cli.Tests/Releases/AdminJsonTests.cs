using System.Text.Json;

namespace Spiro.Cli.Tests.Releases;

/// <summary>The JSON objects of the changing verbs, which the Salt runner parses (docs/cli.md).</summary>
public sealed class AdminJsonTests : IDisposable
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

    private async Task<JsonElement> RunJsonAsync(params string[] args)
    {
        var (code, output, error) = await _cli.RunAsync(args);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public async Task Rollback_Promote_Delete_WithJson_PrintStableObjects()
    {
        var first = await PublishAsync("foo/dev", "1");
        var second = await PublishAsync("foo/dev", "2");

        var rollback = await RunJsonAsync("rollback", "foo/dev", "--json");
        Assert.Equal(["saltenv", "release", "previous", "changed", "warnings"], rollback.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, rollback.GetProperty("warnings").GetArrayLength());
        Assert.Equal("foo/dev", rollback.GetProperty("saltenv").GetString());
        Assert.Equal(first, rollback.GetProperty("release").GetProperty("id").GetString());
        Assert.True(rollback.GetProperty("release").GetProperty("live").GetBoolean());
        Assert.Equal(second, rollback.GetProperty("previous").GetString());
        Assert.True(rollback.GetProperty("changed").GetBoolean());

        var again = await RunJsonAsync("rollback", "foo/dev", "--to", first, "--json");
        Assert.False(again.GetProperty("changed").GetBoolean());

        var promote = await RunJsonAsync("promote", "foo/dev", "foo/prod", "--json");
        Assert.Equal(["saltenv", "release", "source_saltenv", "source_release", "warnings"], promote.EnumerateObject().Select(p => p.Name));
        Assert.Equal("foo/prod", promote.GetProperty("saltenv").GetString());
        Assert.Equal(first, promote.GetProperty("source_release").GetString());
        var promoted = promote.GetProperty("release").GetProperty("id").GetString();
        Assert.Equal("../../releases/" + promoted, new FileInfo(Path.Combine(_cli.Data, "envs/foo/prod")).LinkTarget);
        Assert.Equal(0, promote.GetProperty("warnings").GetArrayLength());

        var delete = await RunJsonAsync("delete", "foo/prod", "--yes", "--json");
        Assert.Equal(["saltenv", "previous", "removed_releases", "warnings"], delete.EnumerateObject().Select(p => p.Name));
        Assert.Equal(promoted, delete.GetProperty("previous").GetString());
        Assert.Equal([promoted], delete.GetProperty("removed_releases").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Rollback_WithJson_OnFailure_KeepsTheExitCodeAndPrintsNoJson()
    {
        await PublishAsync("foo/dev", "1");

        var (code, output, error) = await _cli.RunAsync("rollback", "foo/dev", "--json");

        Assert.Equal(1, code);
        Assert.Equal("", output.Trim());
        Assert.Contains("no release older", error, StringComparison.Ordinal);
    }
}
