using System.Runtime.CompilerServices;
using Spiro.Core.Highstate;
using Spiro.Protocol.Events;
using Spiro.Server.Options;

namespace Spiro.Cli.Server;

/// <summary>Chooses the Salt boundary for <c>spiro serve</c>.</summary>
internal static class ServeHighstate
{
    // TODO(#4): use the saltnet helper's orchestrator and NoSaltHighstateService once they land in main.
    public static IHighstateService Create(ServerOptions options) => new Unconfigured(options);

    private sealed class Unconfigured(ServerOptions options) : IHighstateService
    {
        public async IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            _ = options;
            yield return DeployEvent.Message(DeployEventNames.HighstateCalc, $"No Salt is configured on this server; not highstating {request.SaltEnv}");
            yield return new DeployEvent(DeployEventNames.HighstateStart, new System.Text.Json.Nodes.JsonObject { ["msg"] = "No minions to highstate", ["minions"] = new System.Text.Json.Nodes.JsonArray() });
            yield return DeployEvent.Message(DeployEventNames.HighstateFinish, "Highstate skipped: no Salt configured");
        }
    }
}
