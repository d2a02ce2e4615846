using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Spiro.Server.Endpoints;
using Spiro.Server.Metrics;
using Spiro.Server.Options;

namespace Spiro.Server.Deploys;

/// <summary>Upload plumbing shared by both deploy endpoints: the body size limit and byte counting.</summary>
internal sealed class DeployUpload(ServerOptions options, ServerMetrics metrics)
{
    // Kestrel's own limit sits a little above ours so the counting stream trips first, with our message.
    private const long KestrelSlack = 1L << 20;

    public long Limit => options.MaxBodySize;

    /// <summary>The 413 message when Content-Length already says the body is too large, else null.</summary>
    public string? TooLargeByHeader(HttpRequest request) =>
        request.ContentLength > options.MaxBodySize
            ? $"request body of {request.ContentLength} bytes exceeds the limit of {options.MaxBodySize} bytes (max_body_size)"
            : null;

    /// <summary>Lifts Kestrel's default limit for this request and wraps the body in a counting, limiting stream.</summary>
    public CountingStream Count(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.MaxBodySize + KestrelSlack;
        }

        return new CountingStream(context.Request.Body, options.MaxBodySize, metrics.BytesReceived);
    }

    /// <summary>
    /// A client that sent <c>Expect: 100-continue</c> (curl does for bodies over 1 MiB) sends the
    /// body only after "100 Continue", or after its own timeout (curl's: 1 s). Kestrel answers it on
    /// the first read of the body, but only while no response has started, and the deploy endpoint
    /// starts its event stream before the publish reads: so read once here, leaving what arrived
    /// unconsumed for the publish. A failed read is left to the publish, which reads the body again and reports it.
    /// </summary>
    public static async Task AcceptBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Expect.Any(value => string.Equals(value, "100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        try
        {
            var result = await request.BodyReader.ReadAsync(cancellationToken).ConfigureAwait(false);
            request.BodyReader.AdvanceTo(result.Buffer.Start);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The publish's first read meets the same failure and turns it into the deploy's outcome.
        }
    }

    /// <summary>The status and message for a publish that did not go live.</summary>
    public static IResult Refusal(DeployPublishOutcome outcome, bool json = false)
    {
        var (_, status, message) = outcome.Refusal ?? new DeployRefusal("", StatusCodes.Status500InternalServerError, "unexpected outcome");
        return json ? ApiResults.Error(status, message) : Results.Text(message + "\n", "text/plain", statusCode: status);
    }
}
