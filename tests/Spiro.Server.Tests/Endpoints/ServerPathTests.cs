using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>No message to a client names a filesystem path of the server (docs/security.md).</summary>
public sealed class ServerPathTests
{
    [Fact]
    public async Task Deploy_FailingOnTheServersFilesystem_EndsFailedWithoutNamingAServerPath()
    {
        await using var server = await TestServer.StartAsync();
        // The saltenv's staging directory cannot be made: its project's name is taken by a file.
        Directory.CreateDirectory(Path.Combine(server.Data, "staging"));
        await File.WriteAllTextAsync(Path.Combine(server.Data, "staging", "foo"), "in the way");
        var token = server.Issue(["foo"]);

        using var request = DeployApiTests.Raw(token, Bundles.Hello(), "application/x-tar");
        using var response = await server.Client.SendAsync(request);
        var stream = await response.Content.ReadAsStringAsync();
        var deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();
        using var get = DeployApiTests.Authorized(HttpMethod.Get, $"/api/v1/deploys/{deployId}", token);
        var row = await (await server.Client.SendAsync(get)).Content.ReadAsStringAsync();

        var events = SseEvent.ParseAll(stream, out _);
        Assert.Equal("deploy-finish", events[^1].Name);
        Assert.Equal("failed", events[^1].Json["status"]!.GetValue<string>());
        Assert.Contains("Publishing failed on the server", stream, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Directory, stream, StringComparison.Ordinal);
        Assert.DoesNotContain("/staging/", stream, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Directory, row, StringComparison.Ordinal);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }
}
