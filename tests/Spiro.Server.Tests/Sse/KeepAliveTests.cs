using Spiro.Server.Tests.Endpoints;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Sse;

/// <summary>
/// Keep-alives are comment lines alone: the original spiro-deploy's parser turns the blank line after
/// a comment into an event with no data and crashes on it.
/// </summary>
public sealed class KeepAliveTests
{
    [Fact]
    public async Task CompatibleEndpoint_KeepAlive_IsACommentLineWithoutABlankLine()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(TimeSpan.FromSeconds(2.5), minions: 1));
        using var deploy = CompatClient.Deploy(server.Issue(["foo"]), Bundles.Hello(), highstate: true);

        var body = await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();

        AssertKeepAlivesAreLoneComments(body);
    }

    [Fact]
    public async Task V1Endpoint_KeepAlive_IsACommentLineWithoutABlankLine()
    {
        await using var server = await TestServer.StartAsync(new ScriptedHighstate(TimeSpan.FromSeconds(2.5), minions: 1));
        using var deploy = DeployApiTests.Raw(server.Issue(["foo"]), Bundles.Hello(), "application/x-tar", "highstate=true");

        var body = await (await server.Client.SendAsync(deploy)).Content.ReadAsStringAsync();

        AssertKeepAlivesAreLoneComments(body);
    }

    private static void AssertKeepAlivesAreLoneComments(string body)
    {
        Assert.Contains(": keepalive\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain(": keepalive\n\n", body, StringComparison.Ordinal);

        // Every message a blank line ends has data: nothing a client could dispatch as an empty event.
        var messages = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(messages, message => Assert.Contains(message.Split('\n'), line => line.StartsWith("data: ", StringComparison.Ordinal)));
    }
}
