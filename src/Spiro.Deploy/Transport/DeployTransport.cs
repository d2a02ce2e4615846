using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Deltas;

namespace Spiro.Deploy.Transport;

/// <summary>The HTTP calls of a deploy, on both the compatible endpoint and the v1 API.</summary>
internal sealed class DeployTransport(HttpClient http, Uri server, string token)
{
    /// <summary>Header holding the v1 deploy id, for re-attaching.</summary>
    public const string DeployIdHeader = "X-Spiro-Deploy-Id";

    private readonly Uri baseUri = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");

    /// <summary>Asks <c>/api/v1/info</c>; a 404 (or anything not JSON) means only the compatible endpoint exists.</summary>
    public async Task<ServerInfo> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "api/v1/info");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return ServerInfo.CompatibleOnly;
        }

        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var features = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("features", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var feature in list.EnumerateArray())
                {
                    if (feature.GetString() is { } name)
                    {
                        features.Add(name);
                    }
                }
            }

            return new ServerInfo(true, version, features);
        }
        catch (JsonException)
        {
            return ServerInfo.CompatibleOnly;
        }
    }

    /// <summary><c>GET /</c>: 200 when the token is known, 401 otherwise (checked before anything is bundled).</summary>
    public async Task<HttpResponseMessage> CheckTokenAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, string.Empty);
        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Uploads to <c>POST /</c> (multipart); returns once the response headers arrived.</summary>
    public async Task<HttpResponseMessage> UploadCompatibleAsync(BundleSpec spec, string project, string deployment, bool highstate, Action<long> onSent, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, string.Empty);
        request.Content = new MultipartBundleContent(spec, project, deployment, highstate, onSent);
        return await SendStreamingAsync(request, cancellationToken);
    }

    /// <summary>Uploads to <c>POST /api/v1/deploys</c>, or <c>/api/v1/plans</c> for a plan (raw body in <paramref name="encoding"/>).</summary>
    public async Task<HttpResponseMessage> UploadV1Async(BundleSpec spec, string project, string deployment, bool highstate, bool test, bool tolerateMissing, BundleEncoding encoding, Action<long> onSent, CancellationToken cancellationToken, bool plan = false)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/{(plan ? "plans" : "deploys")}?project={Uri.EscapeDataString(project)}&deployment={Uri.EscapeDataString(deployment)}&highstate={(highstate ? "true" : "false")}&test={(test ? "true" : "false")}{(tolerateMissing ? "&tolerate_missing=true" : "")}");
        using var request = Request(HttpMethod.Post, query);
        request.Content = new BundleContent(spec, encoding, onSent);
        return await SendStreamingAsync(request, cancellationToken);
    }

    /// <summary>
    /// First step of the negotiated upload: posts the bundle's entries (gzip JSON) and returns the
    /// server's answer, or null and the response when it refused (the caller disposes that).
    /// </summary>
    public async Task<(DeltaPlanResponse? Plan, HttpResponseMessage? Refusal, long SentBytes)> PlanAsync(string project, string deployment, IReadOnlyList<DeltaEntry> entries, CancellationToken cancellationToken)
    {
        var query = $"api/v1/deploys/delta?project={Uri.EscapeDataString(project)}&deployment={Uri.EscapeDataString(deployment)}";
        using var request = Request(HttpMethod.Post, query);
        var body = new MemoryStream();
        await using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            await JsonSerializer.SerializeAsync(gzip, new DeltaPlanRequest(entries), DeltaJson.Default.DeltaPlanRequest, cancellationToken);
        }

        request.Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, response, body.Length);
        }

        using (response)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return (await JsonSerializer.DeserializeAsync(stream, DeltaJson.Default.DeltaPlanResponse, cancellationToken), null, body.Length);
        }
    }

    /// <summary>Second step: uploads the tar of the files the delta plan's answer lists to <c>POST /api/v1/deploys?delta=ID</c> (or <c>/api/v1/plans</c> for a plan).</summary>
    public async Task<HttpResponseMessage> UploadMissingAsync(BundleSpec spec, IReadOnlyList<DeltaEntry> plan, DeltaPlanResponse answer, string project, string deployment, bool highstate, bool test, bool tolerateMissing, Action<long> onSent, CancellationToken cancellationToken, bool candidate = false)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/{(candidate ? "plans" : "deploys")}?project={Uri.EscapeDataString(project)}&deployment={Uri.EscapeDataString(deployment)}&highstate={(highstate ? "true" : "false")}&test={(test ? "true" : "false")}{(tolerateMissing ? "&tolerate_missing=true" : "")}&delta={Uri.EscapeDataString(answer.Delta)}");
        using var request = Request(HttpMethod.Post, query);
        request.Content = new MissingFilesContent(spec, plan, answer.Missing.ToHashSet(), onSent);
        return await SendStreamingAsync(request, cancellationToken);
    }

    /// <summary><c>POST /api/v1/plans/{id}/apply</c>: the event stream of the deploy that applies it, or the refusal.</summary>
    public async Task<HttpResponseMessage> ApplyAsync(string project, string deployment, string planId, bool force, bool highstate, bool test, bool tolerateMissing, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/plans/{Uri.EscapeDataString(planId)}/apply?project={Uri.EscapeDataString(project)}&deployment={Uri.EscapeDataString(deployment)}&force={(force ? "true" : "false")}&highstate={(highstate ? "true" : "false")}&test={(test ? "true" : "false")}{(tolerateMissing ? "&tolerate_missing=true" : "")}");
        using var request = Request(HttpMethod.Post, query);
        return await SendStreamingAsync(request, cancellationToken);
    }

    /// <summary>Re-attaches to a running deploy's events after <paramref name="lastEventId"/>.</summary>
    public async Task<HttpResponseMessage> ReattachAsync(string deployId, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"api/v1/deploys/{Uri.EscapeDataString(deployId)}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await SendStreamingAsync(request, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, relative));
        // The original client sends "bearer"; servers compare the scheme case-insensitively.
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return request;
    }

    private async Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // Lets the server refuse (401/403/413) before the body is built and sent.
            request.Headers.ExpectContinue = true;
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
