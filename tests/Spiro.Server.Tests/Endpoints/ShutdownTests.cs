using System.Net;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_DuringSlowHighstate_AbandonsItWithEventsAndKeepsTheReleaseLive()
    {
        var server = await TestServer.StartAsync(
            new ScriptedHighstate(TimeSpan.FromSeconds(30), minions: 1),
            o => o with { ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        await using (server)
        {
            var token = server.Issue(["foo"]);
            using var request = DeployApiTests.Raw(token, Bundles.Hello(), "application/x-tar", "highstate=true");
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var deployId = response.Headers.GetValues("X-Spiro-Deploy-Id").Single();
            var log = server.App.Services.GetService(typeof(Core.Deploys.DeployLog)) as Core.Deploys.DeployLog;
            while (!log!.EventsAfter(deployId, 0).Any(e => e.Name == "highstate-start"))
            {
                await Task.Delay(20);
            }

            await server.App.StopAsync();

            var deploy = log.Find(deployId)!;
            Assert.Equal("abandoned", deploy.Status);
            var names = log.EventsAfter(deployId, 0).Select(e => e.Name).ToList();
            Assert.Equal(["exception", "deploy-finish"], names[^2..]);
            Assert.Equal(deploy.Release, server.LiveRelease("foo", "dev"));
            Assert.NotNull(deploy.Release);
        }
    }

    [Fact]
    public async Task Deploy_AfterShutdownBegan_Is503()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        var deploys = (Deploys.DeployService)server.App.Services.GetService(typeof(Deploys.DeployService))!;
        await deploys.StopAsync(CancellationToken.None);

        using var request = CompatClient.Deploy(token, Bundles.Hello());
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(server.LiveRelease("foo", "dev"));
    }
}
