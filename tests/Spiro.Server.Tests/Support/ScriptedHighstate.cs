using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Protocol.Events;

namespace Spiro.Server.Tests.Support;

/// <summary>The fake at the Salt boundary: yields a fixed highstate for two minions, optionally slowly.</summary>
internal sealed class ScriptedHighstate(TimeSpan? delay = null, int minions = 2) : IHighstateService
{
    public int Runs { get; private set; }

    public async IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Runs++;
        var names = Enumerable.Range(1, minions).Select(i => $"minion{i}").ToArray();
        yield return DeployEvent.Message(DeployEventNames.HighstateCalc, $"Calculating minions for {request.SaltEnv}");
        yield return new DeployEvent(DeployEventNames.HighstateStart, new JsonObject
        {
            ["msg"] = "Highstate started",
            ["minions"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        });
        foreach (var name in names)
        {
            await Task.Delay(delay ?? TimeSpan.Zero, cancellationToken);
            yield return new DeployEvent(DeployEventNames.HighstateUpdate, new JsonObject
            {
                ["msg"] = $"{name} finished",
                ["minion"] = name,
                ["result"] = new JsonObject
                {
                    ["file_|-motd_|-/etc/motd_|-managed"] = new JsonObject { ["result"] = true, ["comment"] = "ok", ["changes"] = new JsonObject() },
                },
            });
        }

        yield return DeployEvent.Message(DeployEventNames.HighstateFinish, "Highstate finished");
    }
}
