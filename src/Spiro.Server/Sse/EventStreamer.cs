using Spiro.Server.Deploys;

namespace Spiro.Server.Sse;

/// <summary>Follows a deploy's recorded events onto an SSE response.</summary>
internal sealed class EventStreamer(DeployEventFollower follower, Options.ServerOptions options)
{
    /// <summary>Writes events after <paramref name="afterSeq"/> until the deploy finishes or the client leaves.</summary>
    /// <param name="writer">An SSE response already started.</param>
    /// <param name="deployId">The deploy.</param>
    /// <param name="afterSeq">Last event the client has.</param>
    /// <param name="include">Which event names to send (the compatible endpoint sends only the original ones).</param>
    /// <param name="withIds">Whether to send <c>id:</c> lines (v1 only).</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    public async Task StreamAsync(SseWriter writer, string deployId, long afterSeq, Func<string, bool> include, bool withIds, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in follower.FollowAsync(deployId, afterSeq, options.KeepAliveInterval, cancellationToken).ConfigureAwait(false))
            {
                if (item is null)
                {
                    await writer.WriteKeepAliveAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (include(item.Name))
                {
                    await writer.WriteEventAsync(item.Name, item.Data, withIds ? item.Seq : null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left; the deploy goes on and can be re-attached to.
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
