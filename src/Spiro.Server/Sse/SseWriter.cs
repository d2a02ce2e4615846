using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Spiro.Server.Sse;

/// <summary>Writes <c>text/event-stream</c> messages, flushing each so clients see events as they happen.</summary>
internal sealed class SseWriter(HttpResponse response)
{
    /// <summary>Sends status 200 and the SSE headers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>event: NAME</c>, optional <c>id: N</c>, <c>data: JSON</c>, blank line.</summary>
    public Task WriteEventAsync(string name, string data, long? id, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("event: ").Append(name).Append('\n');
        if (id is { } value)
        {
            text.Append("id: ").Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("data: ").Append(data).Append("\n\n");
        return WriteAsync(text.ToString(), cancellationToken);
    }

    /// <summary>
    /// A comment line alone: SSE clients ignore it, proxies and idle timers see traffic. No blank line
    /// after it: the original spiro-deploy's parser turns a blank line into an event with no data and
    /// crashes on it (docs/api.md).
    /// </summary>
    public Task WriteKeepAliveAsync(CancellationToken cancellationToken) => WriteAsync(KeepAlive, cancellationToken);

    /// <summary>The keep-alive as sent.</summary>
    public const string KeepAlive = ": keepalive\n";

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
