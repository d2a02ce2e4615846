using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Endpoints;

/// <summary>What every dashboard handler does first and last: find the viewer, issue and check anti-forgery tokens, answer with HTML.</summary>
internal sealed class PageResults(ViewerResolver viewers, IAntiforgery antiforgery)
{
    /// <summary>Bodies of dashboard forms are tiny; anything larger is refused before it is read.</summary>
    public const long MaxFormBytes = 16 * 1024;

    /// <summary>The page context of a signed-in request, or null (send <see cref="ToSignIn"/>).</summary>
    public PageContext? SignedIn(HttpContext http)
    {
        if (viewers.Resolve(http.Request) is not { } viewer)
        {
            return null;
        }

        // Binds the anti-forgery tokens to this token: a form token from another session does not validate.
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, viewer.Token.Id)], "spiro-session"));
        return new PageContext(viewer, antiforgery.GetAndStoreTokens(http).RequestToken!);
    }

    /// <summary>The page context for the signed-out sign-in page.</summary>
    public PageContext Anonymous(HttpContext http) => new(null, antiforgery.GetAndStoreTokens(http).RequestToken!);

    /// <summary>Whether a POST carries a valid anti-forgery token (form field plus cookie); bodies over <see cref="MaxFormBytes"/> are refused.</summary>
    public async Task<IFormCollection?> ValidFormAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false) ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or AntiforgeryValidationException)
        {
            return null;
        }
    }

    public static IResult ToSignIn() => Results.Redirect(DashboardPaths.SignIn);

    public static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    public static IResult NotFound(PageContext context) =>
        Page(MessagePage.Render(context, "Not found", MessagePage.NotFound), StatusCodes.Status404NotFound);

    public static IResult Forbidden(PageContext context, string why) =>
        Page(MessagePage.Render(context, "Not allowed", why), StatusCodes.Status403Forbidden);

    public static IResult BadForm(PageContext context) =>
        Page(MessagePage.Render(context, "Refused", "The form's anti-forgery token is missing or invalid: nothing was changed. Reload the page and try again."), StatusCodes.Status400BadRequest);
}
