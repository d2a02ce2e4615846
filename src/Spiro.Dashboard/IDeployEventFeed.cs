using Microsoft.AspNetCore.Http;

namespace Spiro.Dashboard;

/// <summary>
/// The server's SSE stream of a deploy's events (the one behind <c>GET /api/v1/deploys/{id}/events</c>),
/// offered to the dashboard so a signed-in browser can follow a deploy with its session cookie
/// instead of a bearer token. The server implements it; the dashboard only checks scope first.
/// </summary>
public interface IDeployEventFeed
{
    /// <summary>Starts an SSE response on <paramref name="context"/> and writes the deploy's events after <paramref name="afterSeq"/> until it finishes or the client leaves.</summary>
    Task StreamAsync(HttpContext context, string deployId, long afterSeq);
}
