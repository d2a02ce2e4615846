using System.Runtime.CompilerServices;
using Spiro.Core.Deploys;

namespace Spiro.Server.Deploys;

/// <summary>Re-reads a deploy's events from SQLite and follows it until it finishes.</summary>
internal sealed class DeployEventFollower(DeployLog log, DeployNotifier notifier)
{
    /// <summary>
    /// Events after <paramref name="afterSeq"/> as they are recorded; a null item means
    /// <paramref name="keepAlive"/> passed without news (send a keep-alive comment). Ends when the deploy has finished.
    /// </summary>
    public async IAsyncEnumerable<StoredDeployEvent?> FollowAsync(
        string deployId, long afterSeq, TimeSpan keepAlive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSeq;
        while (true)
        {
            var signal = notifier.Current(deployId);
            var events = log.EventsAfter(deployId, last);
            foreach (var item in events)
            {
                last = item.Seq;
                yield return item;
            }

            if (events.Count > 0)
            {
                continue;
            }

            if (log.Find(deployId) is not { } deploy || deploy.IsFinished)
            {
                // Finishing happens after the last append, so one more read catches anything in between.
                foreach (var item in log.EventsAfter(deployId, last))
                {
                    yield return item;
                }

                notifier.Forget(deployId);
                yield break;
            }

            var woke = await Task.WhenAny(signal, Task.Delay(keepAlive, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (woke != signal)
            {
                yield return null;
            }
        }
    }
}
