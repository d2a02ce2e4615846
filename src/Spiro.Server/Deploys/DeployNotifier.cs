using System.Collections.Concurrent;

namespace Spiro.Server.Deploys;

/// <summary>
/// Wakes followers of a deploy when it gets a new event. Followers always re-read SQLite; this only
/// saves them from polling. Take <see cref="Current"/> before reading so no wake-up is lost.
/// </summary>
internal sealed class DeployNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public Task Current(string deployId) =>
        _signals.GetOrAdd(deployId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Drops the signal of a finished deploy (nothing will pulse it again).</summary>
    public void Forget(string deployId) => Pulse(deployId);

    public void Pulse(string deployId)
    {
        if (_signals.TryRemove(deployId, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
