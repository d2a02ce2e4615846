using Microsoft.AspNetCore.Http;

namespace Spiro.Dashboard.Sessions;

/// <summary>The session cookie: HttpOnly, SameSite=Strict, Secure under TLS, scoped to <c>/ui</c>, expiring with the session.</summary>
internal static class SessionCookie
{
    public const string Name = "spiro_session";

    public static string? Read(HttpRequest request) => request.Cookies[Name];

    public static void Write(HttpResponse response, string value, DateTimeOffset expires) =>
        response.Cookies.Append(Name, value, Options(response.HttpContext.Request, expires));

    public static void Clear(HttpResponse response) =>
        response.Cookies.Delete(Name, Options(response.HttpContext.Request, null));

    private static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = DashboardPaths.Root,
        Expires = expires,
        IsEssential = true,
    };
}
