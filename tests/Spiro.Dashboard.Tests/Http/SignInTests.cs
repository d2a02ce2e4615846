using System.Net;
using Spiro.Core.Tokens;
using Spiro.Dashboard.Endpoints;

namespace Spiro.Dashboard.Tests.Http;

public sealed class SignInTests
{
    [Fact]
    public async Task FailedSignIns_AreAudited_AndAfterFiveAMinuteTheAddressIsThrottled()
    {
        await using var server = await DashboardHttp.StartAsync();
        var good = server.Issue(TokenScope.Root);
        using var client = server.BrowserClient();
        for (var i = 0; i < 5; i++)
        {
            using var refused = await DashboardHttp.SignInAsync(client, "spiro_wrongwrongwrongwrongwrongwrongwrongwrongwro");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.DoesNotContain("spiro_wrong", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Even the right token waits now: a guesser cannot tell a hit from the throttle.
        using var throttled = await DashboardHttp.SignInAsync(client, good);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("60", throttled.Headers.GetValues("Retry-After").Single());
        var rows = server.Audit.Read().Where(r => r.Action == SignInEndpoints.AuditAction).ToList();
        Assert.Equal(6, rows.Count(r => r.Outcome == "refused"));
        Assert.Contains(rows, r => r.Detail.Contains("too many failed sign-ins", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Detail.Contains(good, StringComparison.Ordinal) || r.Actor.Contains(good, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_SetsAStrictHttpOnlySessionCookieOnlyForUi_AndNoSecureFlagOverPlainHttp()
    {
        await using var server = await DashboardHttp.StartAsync();
        using var client = server.BrowserClient();
        using var response = await DashboardHttp.SignInAsync(client, server.Issue(TokenScope.Root));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location!.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("spiro_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/ui", cookie, StringComparison.Ordinal);
        Assert.Contains("expires=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("ui/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutTheFormsAntiForgeryToken_IsRefused()
    {
        await using var server = await DashboardHttp.StartAsync();
        using var client = server.BrowserClient();
        await DashboardHttp.CsrfAsync(client, "ui/signin");
        using var response = await DashboardHttp.SignInAsync(client, server.Issue(TokenScope.Root), csrf: "forged");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("spiro_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RevokingTheToken_EndsItsDashboardSessionOnTheNextRequest()
    {
        await using var server = await DashboardHttp.StartAsync();
        var token = server.Issue(new TokenScope(["hello"], [], false), "revoked-later");
        using var client = server.BrowserClient();
        await DashboardHttp.SignInAsync(client, token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("ui/")).StatusCode);

        server.Tokens.Revoke(server.Tokens.FindByToken(token)!.Id);
        using var after = await client.GetAsync("ui/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/ui/signin", after.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task EveryDashboardResponse_CarriesTheStrictSecurityHeaders_EvenA404()
    {
        await using var server = await DashboardHttp.StartAsync();
        using var client = server.BrowserClient();
        foreach (var path in new[] { "ui/signin", "ui/no/such/page", "ui/assets/live.js" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }

        Assert.DoesNotContain("'unsafe-inline'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await client.GetStringAsync("ui/signin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheDashboardOff_UiIsNotServed_AndTheApiStillIs()
    {
        await using var server = await DashboardHttp.StartAsync(o => o with { Dashboard = o.Dashboard with { Enabled = false } });
        using var client = server.BrowserClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("ui/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/info")).StatusCode);
    }
}
