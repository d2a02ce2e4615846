using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Spiro.Deploy.Tests.Support;

/// <summary>
/// A streaming HTTP proxy in front of the real server that can hide the v1 API (a server with only
/// the compatible endpoint, like the original) and cut a response stream right after a given event
/// (a dropped connection), and refuse re-attaching.
/// </summary>
internal sealed class HttpProxy : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private int postCuts;
    private int reattachCuts;

    private HttpProxy(WebApplication app, HttpClient upstream)
    {
        this.app = app;
        this.upstream = upstream;
    }

    public Uri Url => new(app.Urls.First() + "/");

    /// <summary>Answer 404 for every <c>/api/v1</c> path.</summary>
    public bool HideV1 { get; set; }

    /// <summary>Cut the first event stream right after the event with this name.</summary>
    public string? CutAfterEvent { get; set; }

    /// <summary>How many more event streams to cut after the first (each after its first event).</summary>
    public int ExtraCuts { get; set; }

    /// <summary>Answer 503 to re-attach requests.</summary>
    public bool RefuseReattach { get; set; }

    public int ReattachRequests { get; private set; }

    public static async Task<HttpProxy> StartAsync(Uri target, Action<HttpProxy>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        var proxy = new HttpProxy(app, new HttpClient(handler) { BaseAddress = target, Timeout = Timeout.InfiniteTimeSpan });
        configure?.Invoke(proxy);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (HideV1 && path.StartsWith("/api/v1", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var reattach = path.EndsWith("/events", StringComparison.Ordinal);
        if (reattach)
        {
            ReattachRequests++;
            if (RefuseReattach)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), path.TrimStart('/') + request.QueryString);
        foreach (var name in new[] { "Authorization", "Last-Event-ID", "Accept" })
        {
            if (request.Headers.TryGetValue(name, out var value))
            {
                message.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        if (request.Method == "POST")
        {
            message.Content = new StreamContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            if (request.Headers.ContentEncoding.Count > 0)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Encoding", request.Headers.ContentEncoding.ToArray());
            }
        }

        using var response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is not ("Transfer-Encoding" or "Content-Length" or "Connection"))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        // The negotiated upload's plan request answers JSON, not events: only deploy POSTs are cut.
        var cutAfter = NextCut(request.Method == "POST" && !path.EndsWith("/delta", StringComparison.Ordinal), reattach);
        var seen = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (cutAfter is not null)
            {
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
                var marker = seen.ToString().IndexOf(cutAfter, StringComparison.Ordinal);
                var end = marker < 0 ? -1 : seen.ToString().IndexOf("\n\n", marker, StringComparison.Ordinal);
                if (end >= 0)
                {
                    // Send up to the end of that event, then drop the connection mid-stream.
                    var keep = Encoding.UTF8.GetBytes(seen.ToString()[..(end + 2)]);
                    var already = Encoding.UTF8.GetByteCount(seen.ToString()) - read;
                    await context.Response.Body.WriteAsync(keep.AsMemory(already));
                    await context.Response.Body.FlushAsync();

                    // Let the client read what was sent before the reset discards it.
                    await Task.Delay(200);
                    context.Abort();
                    return;
                }
            }

            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>The marker after which this response is cut, or null.</summary>
    private string? NextCut(bool post, bool reattach)
    {
        if (CutAfterEvent is null)
        {
            return null;
        }

        if (post)
        {
            return Interlocked.Increment(ref postCuts) == 1 ? "event: " + CutAfterEvent + "\n" : null;
        }

        return reattach && Interlocked.Increment(ref reattachCuts) <= ExtraCuts ? "id: " : null;
    }

    public async ValueTask DisposeAsync()
    {
        upstream.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
