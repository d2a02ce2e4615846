using Microsoft.AspNetCore.Http;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Tests.Http;

public sealed class SessionCookieTests
{
    [Fact]
    public void UnderTls_TheSessionCookieIsSecure()
    {
        var http = new DefaultHttpContext();
        http.Request.IsHttps = true;
        SessionCookie.Write(http.Response, "value", DateTimeOffset.UtcNow.AddHours(1));
        var header = http.Response.Headers.SetCookie.ToString().ToLowerInvariant();
        Assert.Contains("secure", header, StringComparison.Ordinal);
        Assert.Contains("httponly", header, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_EndsAtItsExpiry_AndNeverOutlivesItsToken()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var sessions = new SessionStore(new DashboardOptions { SessionLifetime = TimeSpan.FromHours(8) }, clock);
        var (cookie, session) = sessions.Create("0123456789abcdef", tokenExpires: clock.GetUtcNow().AddHours(1));
        Assert.Equal(clock.GetUtcNow().AddHours(1), session.Expires);
        Assert.NotNull(sessions.Find(cookie));
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(sessions.Find(cookie));
        Assert.Null(sessions.Find("not-a-session"));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
