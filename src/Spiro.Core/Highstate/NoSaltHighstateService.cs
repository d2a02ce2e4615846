using System.Runtime.CompilerServices;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>The highstate service of a server without Salt: says so instead of pretending.</summary>
public sealed class NoSaltHighstateService : IHighstateService
{
    /// <summary>The message of the finish event.</summary>
    public const string NotConfigured = "Salt is not configured on this server; no minions were highstated";

    /// <inheritdoc />
    public async IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield return DeployEvent.Message(DeployEventNames.HighstateCalc, $"Finding the minions whose top data lists {request.SaltEnv}");
        yield return DeployEvent.Of(DeployEventNames.HighstateFinish, new HighstateFinishEvent(
            NotConfigured, new Dictionary<string, MinionReport>(), [], new Dictionary<string, string>(), Test: request.Test, TolerateMissing: request.TolerateMissing));
    }
}
