using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Spiro.Core.Metadata;
using Spiro.Core.Tokens;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Endpoints;

/// <summary>Sign-in (a token exchanged for a server-side session) and sign-out. The token travels only in the POST body.</summary>
internal static class SignInEndpoints
{
    public const string AuditAction = "ui.signin";

    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/signin", (HttpContext http, PageResults pages) =>
            pages.SignedIn(http) is not null ? Results.Redirect(DashboardPaths.Overview) : PageResults.Page(SignInPage.Render(pages.Anonymous(http), null)));
        ui.MapPost("/signin", SignInAsync);
        ui.MapPost("/signout", SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, PageResults pages, TokenService tokens, AuditLog audit, SessionStore sessions, SignInThrottle throttle, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Spiro.Dashboard");
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var form = await pages.ValidFormAsync(http).ConfigureAwait(false);
        if (form is null)
        {
            audit.Append("anonymous", AuditAction, "dashboard", "refused", "anti-forgery token missing or invalid");
            return PageResults.BadForm(pages.Anonymous(http));
        }

        if (!throttle.MayTry(address))
        {
            audit.Append("anonymous", AuditAction, "dashboard", "refused", $"too many failed sign-ins from {address}");
            logger.LogWarning("Dashboard sign-in from {Address} refused: too many failures", address);
            http.Response.Headers.RetryAfter = "60";
            return PageResults.Page(SignInPage.Render(pages.Anonymous(http), "Too many failed sign-ins from your address; wait a minute."), StatusCodes.Status429TooManyRequests);
        }

        var presented = form[SignInPage.TokenField].ToString().Trim();
        var decision = tokens.Authenticate(presented.Length == 0 ? null : presented, TokenRequirement.AnyValid, AuditAction, "dashboard");
        if (decision is not AuthDecision.Allowed allowed)
        {
            throttle.Failed(address);
            if (decision is AuthDecision.Unauthenticated refused)
            {
                // The API counts refusals before authentication instead of auditing them (docs/security.md);
                // failed sign-ins are audited row by row because the throttle above bounds them per address.
                audit.Append(refused.Token?.Actor ?? "anonymous", AuditAction, "dashboard", "refused", refused.Reason);
            }

            logger.LogWarning("Dashboard sign-in from {Address} refused", address);
            // One message for every refusal: the page does not tell an unknown token from a revoked one.
            return PageResults.Page(SignInPage.Render(pages.Anonymous(http), "Sign-in refused: the token is unknown, expired or revoked."), StatusCodes.Status401Unauthorized);
        }

        var (cookie, session) = sessions.Create(allowed.Token.Id, allowed.Token.Expires);
        SessionCookie.Write(http.Response, cookie, session.Expires);
        logger.LogInformation("Dashboard sign-in by {Actor} until {Expires}", allowed.Token.Actor, session.Expires);
        return Results.Redirect(DashboardPaths.Overview);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, PageResults pages, SessionStore sessions, AuditLog audit)
    {
        var context = pages.SignedIn(http);
        if (await pages.ValidFormAsync(http).ConfigureAwait(false) is null)
        {
            return PageResults.BadForm(context ?? pages.Anonymous(http));
        }

        if (context?.Viewer is { } viewer)
        {
            audit.Append(viewer.Token.Actor, "ui.signout", "dashboard", "ok", "session ended");
        }

        sessions.Remove(SessionCookie.Read(http.Request));
        SessionCookie.Clear(http.Response);
        return Results.Redirect(DashboardPaths.SignIn);
    }
}
