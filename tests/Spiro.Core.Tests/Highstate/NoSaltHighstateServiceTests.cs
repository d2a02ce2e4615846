using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Protocol.Events;

namespace Spiro.Core.Tests.Highstate;

public sealed class NoSaltHighstateServiceTests
{
    [Fact]
    public async Task Run_SaysClearlyThatSaltIsNotConfigured()
    {
        var events = new List<DeployEvent>();
        await foreach (var e in new NoSaltHighstateService().RunAsync(new HighstateRequest(new SaltEnvName("foo", "dev"), "r1", false), CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal([DeployEventNames.HighstateCalc, DeployEventNames.HighstateFinish], events.Select(e => e.Name));
        Assert.Equal("Salt is not configured on this server; no minions were highstated", (string?)events[1].Data["msg"]);
        Assert.Equal("[]", events[1].Data["missing"]!.ToJsonString());
    }
}
