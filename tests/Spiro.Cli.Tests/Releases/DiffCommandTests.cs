using System.Text.Json;

namespace Spiro.Cli.Tests.Releases;

public sealed class DiffCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> PublishAsync(string version, IReadOnlyDictionary<string, string> files)
    {
        var bundle = _cli.Bundle($"diff-{version}.tar", files);
        var (exitCode, output, error) = await _cli.RunAsync("publish", "foo/dev", bundle);
        Assert.True(exitCode == 0, error);
        return output.Split(' ')[3];
    }

    [Fact]
    public async Task Diff_ByDefault_ComparesThePreviousReleaseWithTheLiveOne_AsTextAndJson()
    {
        var first = await PublishAsync("1", new Dictionary<string, string> { ["init.sls"] = "a: 1\n", ["old.sls"] = "x\n" });
        var second = await PublishAsync("2", new Dictionary<string, string> { ["init.sls"] = "a: 2\n", ["new.sls"] = "y\n" });

        var (code, output, error) = await _cli.RunAsync("diff", "foo/dev");

        Assert.True(code == 0, error);
        Assert.StartsWith($"foo/dev: {first} -> {second}: 1 added, 1 removed, 1 changed", output, StringComparison.Ordinal);
        Assert.Contains("+ new.sls (2 bytes", output, StringComparison.Ordinal);
        Assert.Contains("- old.sls (2 bytes", output, StringComparison.Ordinal);
        Assert.Contains($"--- {first}/init.sls\n+++ {second}/init.sls\n@@ -1 +1 @@\n-a: 1\n+a: 2\n", output, StringComparison.Ordinal);

        (code, output, error) = await _cli.RunAsync("diff", "foo/dev", second, first, "--json");

        Assert.True(code == 0, error);
        var diff = JsonDocument.Parse(output).RootElement;
        Assert.Equal((second, first), (diff.GetProperty("from").GetString(), diff.GetProperty("to").GetString()));
        Assert.Equal(["init.sls", "new.sls", "old.sls"], diff.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        Assert.Equal("removed", diff.GetProperty("files")[1].GetProperty("change").GetString());
    }

    [Fact]
    public async Task Diff_OfAnUnknownRelease_ExitsOneNamingIt()
    {
        await PublishAsync("1", new Dictionary<string, string> { ["init.sls"] = "a: 1\n" });

        var (code, _, error) = await _cli.RunAsync("diff", "foo/dev", "20000101T000000Z-00000000");

        Assert.Equal(1, code);
        Assert.Contains("release 20000101T000000Z-00000000 is not a kept release or a pending plan of foo/dev", error, StringComparison.Ordinal);
    }
}
