using Microsoft.AspNetCore.Http;

namespace Spiro.Dashboard.Endpoints;

/// <summary>
/// Headers on every dashboard response: a strict CSP (only this server's script and stylesheet,
/// no inline script or style, no framing, forms post only here), nosniff, frame denial, no referrer,
/// and no caching of pages that show scoped data.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Apply(context.HttpContext.Response);
        return await next(context).ConfigureAwait(false);
    }
}
