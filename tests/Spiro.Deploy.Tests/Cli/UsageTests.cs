using System.Net;
using System.Net.Sockets;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Tests.Support;

namespace Spiro.Deploy.Tests.Cli;

public sealed class UsageTests : IDisposable
{
    private readonly TempDirectory repo = new();

    public UsageTests() => Directory.CreateDirectory(Path.Combine(repo.Path, "_salt"));

    public void Dispose() => repo.Dispose();

    [Fact]
    public async Task Help_ListsOptionsAndTheExitCodeTable()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("--no-highstate", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--compress <auto|gzip|zstd|none>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("3  authentication or authorisation refused", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingToken_IsAUsageErrorNamingSpiroToken()
    {
        var result = await CliRun.RunAsync("foo", "dev", "--project-dir", repo.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("SPIRO_TOKEN", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSaltDirectory_IsAUsageErrorNamingSaltDir()
    {
        Directory.Delete(Path.Combine(repo.Path, "_salt"));

        var result = await CliRun.RunAsync("foo", "dev", "--token", "t", "--project-dir", repo.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--salt-dir", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("salt:4510")]
    [InlineData("ftp://salt/")]
    [InlineData("not a url")]
    public async Task BadServerUrl_IsAUsageErrorNamingSpiroUrl(string url)
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["SPIRO_URL"] = url, ["SPIRO_TOKEN"] = "t" }, "foo", "dev", "--project-dir", repo.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("SPIRO_URL", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", "dev")]
    [InlineData("foo", "a/b")]
    [InlineData("-foo", "dev")]
    public async Task BadNames_AreUsageErrorsQuotingTheRule(string project, string deployment)
    {
        var result = await CliRun.RunAsync("--token", "t", "--project-dir", repo.Path, "--", project, deployment);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArtifact_IsAUsageError()
    {
        var result = await CliRun.RunAsync("foo", "dev", "--token", "t", "--project-dir", repo.Path, "--artifact", "dist/app.tgz");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("dist/app.tgz", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArtifactOutsideTheProject_IsAUsageError()
    {
        using var outside = new TempDirectory();
        outside.Write("thing.txt", "x");

        var result = await CliRun.RunAsync("foo", "dev", "--token", "t", "--project-dir", repo.Path, "--artifact", Path.Combine(outside.Path, "thing.txt"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("outside the project", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestWithoutHighstate_IsAUsageError()
    {
        var result = await CliRun.RunAsync("foo", "dev", "--token", "t", "--project-dir", repo.Path, "--test", "--no-highstate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task HighstateWithNoHighstate_IsAUsageErrorNamingBoth()
    {
        var result = await CliRun.RunAsync("--token", "t", "--project-dir", repo.Path, "--highstate", "--no-highstate", "foo", "dev");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--highstate and --no-highstate contradict each other", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var result = await CliRun.RunAsync("foo", "dev", "--frobnicate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--frobnicate", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerNotListening_IsANetworkFailure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await CliRun.RunAsync("foo", "dev", "--token", "t", "--project-dir", repo.Path, "--server", $"http://127.0.0.1:{port}/");

        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.Contains("cannot talk to", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--include-source", "foo", "dev" }, new[] { "--include-source=git", "foo", "dev" })]
    [InlineData(new[] { "--include-source", "fs", "foo", "dev" }, new[] { "--include-source", "fs", "foo", "dev" })]
    [InlineData(new[] { "foo", "dev", "--include-source" }, new[] { "foo", "dev", "--include-source=git" })]
    [InlineData(new[] { "--", "--include-source", "x" }, new[] { "--", "--include-source", "x" })]
    public void BareIncludeSource_DoesNotSwallowTheProject(string[] args, string[] expected) =>
        Assert.Equal(expected, DeployCommand.BareIncludeSource(args));

    [Theory]
    [InlineData("90", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("2.5s", 2.5)]
    [InlineData("1d", 86_400)]
    public void Durations_AreSecondsOrSuffixed(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ArgumentValidator.ParseDuration(text));

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("10y")]
    [InlineData("8w")]
    public void BadDurations_AreRefused(string text) => Assert.Null(ArgumentValidator.ParseDuration(text));
}
