using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Spiro.Deploy.Tests.Support;

/// <summary>
/// A loopback HTTP endpoint that records exactly what the client put on the wire (headers, raw
/// body in a file) and answers with a fixed event stream. Used where the assertion is about the
/// request itself; behaviour tests run against the real server.
/// </summary>
internal sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private CaptureServer(WebApplication app, string bodyFile)
    {
        this.app = app;
        BodyFile = bodyFile;
    }

    public string BodyFile { get; }

    public Uri Url => new(app.Urls.First() + "/");

    public List<CapturedRequest> Requests { get; } = [];

    public CapturedRequest Upload => Requests.Single(r => r.Method == "POST");

    /// <param name="v1">Whether <c>/api/v1</c> exists; otherwise only the compatible endpoint.</param>
    /// <param name="bodyFile">Where the upload body is written.</param>
    /// <param name="features">The features <c>/api/v1/info</c> lists (default gzip, resume, test-highstate).</param>
    public static async Task<CaptureServer> StartAsync(bool v1, string bodyFile, string[]? features = null)
    {
        var featureList = string.Join(", ", (features ?? ["gzip", "resume", "test-highstate"]).Select(f => $"\"{f}\""));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new CaptureServer(app, bodyFile);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var captured = new CapturedRequest(
                request.Method,
                request.Path + request.QueryString,
                request.Headers.Authorization.ToString(),
                request.ContentType,
                request.ContentLength,
                request.Headers.TransferEncoding.ToString());
            lock (server.Requests)
            {
                server.Requests.Add(captured);
            }

            if (request.Method == "POST")
            {
                await using (var file = File.Create(bodyFile))
                {
                    await request.Body.CopyToAsync(file);
                }

                context.Response.Headers["X-Spiro-Deploy-Id"] = "d1";
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("event: deploy-bundle\nid: 1\ndata: {\"msg\": \"Published\"}\n\n");
                if (v1)
                {
                    await context.Response.WriteAsync("event: deploy-finish\nid: 2\ndata: {\"msg\": \"done\", \"status\": \"succeeded\"}\n\n");
                }

                return;
            }

            await next(context);
        });
        if (v1)
        {
            app.MapGet("/api/v1/info", () => Microsoft.AspNetCore.Http.Results.Text($"{{\"version\": \"test\", \"features\": [{featureList}]}}", "application/json"));
        }

        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Text("Auth OK"));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>What one request carried.</summary>
internal sealed record CapturedRequest(string Method, string PathAndQuery, string Authorization, string? ContentType, long? ContentLength, string TransferEncoding);
