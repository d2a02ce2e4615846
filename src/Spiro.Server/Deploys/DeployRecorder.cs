using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spiro.Core.Deploys;
using Spiro.Protocol.Events;
using Spiro.Server.Metrics;

namespace Spiro.Server.Deploys;

/// <summary>Records a deploy's events (SQLite, then wakes followers) and its end.</summary>
internal sealed class DeployRecorder(DeployLog log, DeployNotifier notifier, ServerMetrics metrics)
{
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public DeployLog Log => log;

    public long Emit(string deployId, string name, JsonObject data)
    {
        var seq = log.Append(deployId, name, data.ToJsonString(OneLine));
        notifier.Pulse(deployId);
        return seq;
    }

    public long Emit(string deployId, string name, string message) => Emit(deployId, name, DeployEventJson.ToObject(new MessageEvent(message)));

    /// <summary>Writes <c>deploy-finish</c> (<paramref name="status"/> one of <see cref="DeployStatus"/>), then marks the deploy finished so followers end after reading it.</summary>
    public void Finish(string deployId, string status, string? release, string message)
    {
        Emit(deployId, ApiEventNames.DeployFinish, DeployEventJson.ToObject(new DeployFinishEvent(message, status, release)));
        log.Finish(deployId, status);
        notifier.Pulse(deployId);
        metrics.DeployFinished(status);
    }
}
