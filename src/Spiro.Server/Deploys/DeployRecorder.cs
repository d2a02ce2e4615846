using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Spiro.Core.Deploys;
using Spiro.Core.Metadata;
using Spiro.Protocol.Events;
using Spiro.Server.Metrics;

namespace Spiro.Server.Deploys;

/// <summary>
/// Records a deploy's events (SQLite, then wakes followers) and its end. A write that fails for
/// lack of space gives back the data directory's space reserve and is tried once more, so a
/// deploy on a full disk still ends with <c>deploy-finish</c> and a finished row.
/// </summary>
internal sealed class DeployRecorder(DeployLog log, DeployNotifier notifier, ServerMetrics metrics, SpaceReserve reserve, ILogger<DeployRecorder> logger)
{
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public DeployLog Log => log;

    public long Emit(string deployId, string name, JsonObject data)
    {
        var text = data.ToJsonString(OneLine);
        var seq = Write(() => log.Append(deployId, name, text));
        notifier.Pulse(deployId);
        return seq;
    }

    public long Emit(string deployId, string name, string message) => Emit(deployId, name, DeployEventJson.ToObject(new MessageEvent(message)));

    /// <summary>Records a new running deploy (see <see cref="DeployLog.Create"/>).</summary>
    public DeployRecord Create(string id, string saltEnv, string actor, bool highstate, bool test, bool tolerateMissing) =>
        Write(() => log.Create(id, saltEnv, actor, highstate, test, tolerateMissing));

    /// <summary>Sets the release the deploy made live on its row.</summary>
    public void SetRelease(string deployId, string release) => Write(() =>
    {
        log.SetRelease(deployId, release);
        return 0;
    });

    /// <summary>Writes <c>deploy-finish</c> (<paramref name="status"/> one of <see cref="DeployStatus"/>) and marks the deploy finished, in one transaction, so followers end after reading it and a page rendered after the event shows the end.</summary>
    public void Finish(string deployId, string status, string? release, string message)
    {
        var data = DeployEventJson.ToObject(new DeployFinishEvent(message, status, release)).ToJsonString(OneLine);
        Write(() => log.AppendFinish(deployId, ApiEventNames.DeployFinish, data, status));
        notifier.Pulse(deployId);
        metrics.DeployFinished(status);
        if (!reserve.Held)
        {
            _ = reserve.Ensure();
        }
    }

    private T Write<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (DbException e) when (MetadataDatabase.IsOutOfSpace(e) && reserve.Release())
        {
            logger.LogError(e, "The data directory is full; released the {Bytes} bytes space reserve to record how deploys end. Free space on it", reserve.Bytes);
            return write();
        }
    }
}
