using Microsoft.AspNetCore.Http;
using Spiro.Dashboard;
using Spiro.Server.Sse;

namespace Spiro.Server.Dashboard;

/// <summary>The v1 API's SSE stream of a deploy, handed to the dashboard (which has checked the session's scope).</summary>
internal sealed class DashboardEventFeed(EventStreamer streamer) : IDeployEventFeed
{
    public async Task StreamAsync(HttpContext context, string deployId, long afterSeq)
    {
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, deployId, afterSeq, _ => true, withIds: true, context.RequestAborted).ConfigureAwait(false);
    }
}
