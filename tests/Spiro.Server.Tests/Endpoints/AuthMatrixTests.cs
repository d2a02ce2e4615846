using System.Net;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Endpoints;

public sealed class AuthMatrixTests
{
    public static TheoryData<string, HttpStatusCode> RefusedCases => new()
    {
        { "none", HttpStatusCode.Unauthorized },
        { "malformed", HttpStatusCode.Unauthorized },
        { "not-bearer", HttpStatusCode.Unauthorized },
        { "unknown", HttpStatusCode.Unauthorized },
        { "expired", HttpStatusCode.Unauthorized },
        { "not-yet-valid", HttpStatusCode.Unauthorized },
        { "revoked", HttpStatusCode.Unauthorized },
        { "wrong-project", HttpStatusCode.Forbidden },
        { "wrong-deployment", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task CompatDeploy_WithRefusedToken_AnswersBeforeAnyEventAndPublishesNothing(string kind, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var token = TokenFor(server, kind);
        using var request = CompatClient.Deploy(null, Bundles.Hello(), "foo", "dev");
        SetAuthorization(request, kind, token);

        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Null(server.LiveRelease("foo", "dev"));
        Assert.False(Directory.Exists(Path.Combine(server.Data, "envs", "foo")));
        var audit = server.Audit.Read();
        if (expected == HttpStatusCode.Unauthorized)
        {
            // Before authentication nothing is written row by row: it is counted (docs/security.md).
            Assert.DoesNotContain(audit, row => row.Action == "deploy");
            Assert.Contains("spiro_unauthenticated_requests_total{", await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(audit, row => row.Action == "deploy" && row.Outcome == "refused");
        }

        Assert.DoesNotContain(audit, row => row.Outcome == "ok" && row.Action == "deploy");
        Assert.All(audit, row => Assert.DoesNotContain("spiro_", row.Actor + row.Detail, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task V1Deploy_WithRefusedToken_IsRefusedWithJsonError(string kind, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var token = TokenFor(server, kind);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deploys?project=foo&deployment=dev") { Content = new ByteArrayContent(Bundles.Hello()) };
        SetAuthorization(request, kind, token);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Spiro-Deploy-Id"));
        Assert.Null(server.LiveRelease("foo", "dev"));
    }

    public static TheoryData<string, string> ApiRoutes => new()
    {
        { "GET", "/api/v1/projects" },
        { "GET", "/api/v1/saltenvs" },
        { "GET", "/api/v1/saltenvs/foo/dev/releases" },
        { "GET", "/api/v1/saltenvs/Bad!/dev/releases" },
        { "POST", "/api/v1/saltenvs/foo/dev/rollback" },
        { "POST", "/api/v1/saltenvs/foo/dev/rollback?release=nope" },
        { "POST", "/api/v1/saltenvs/foo/Bad!/rollback" },
        { "POST", "/api/v1/saltenvs/foo/prod/promote?from=dev" },
        { "POST", "/api/v1/saltenvs/foo/prod/promote" },
        { "POST", "/api/v1/saltenvs/foo/prod/promote?from=Bad!" },
        { "DELETE", "/api/v1/saltenvs/foo/dev" },
        { "DELETE", "/api/v1/saltenvs/Bad!/dev" },
        { "POST", "/api/v1/deploys?project=foo&deployment=dev" },
        { "POST", "/api/v1/deploys" },
        { "GET", "/api/v1/deploys/nosuchdeploy" },
        { "GET", "/api/v1/deploys/nosuchdeploy/events" },
    };

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public async Task ApiRoute_WithoutToken_Is401EvenWithBadParameters(string method, string path)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Promote_WithAdminTokenAndNoFrom_Is400AuditedAsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/saltenvs/foo/prod/promote");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {server.Issue(["foo"], admin: true)}");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(server.Audit.Read(), row => row.Action == "promote" && row.Outcome == "refused" && row.Detail.StartsWith("query parameter from", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Audit.Read(), row => row.Outcome == "ok");
    }

    [Fact]
    public async Task GetRoot_AfterRevocationWhileRunning_IsRefusedOnTheVeryNextRequest()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        using var before = Get(token);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(before)).StatusCode);

        // Another process (the admin CLI) revokes through its own connection to the same database.
        var other = new Core.Tokens.TokenStore(Core.Metadata.MetadataDatabase.Open(Path.Combine(server.Data, "spiro.db")), TimeProvider.System);
        other.Revoke(other.FindByToken(token)!.Id);

        using var after = Get(token);
        using var response = await server.Client.SendAsync(after);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRoot_WithLowercaseBearer_SaysAuthOk()
    {
        await using var server = await TestServer.StartAsync();
        using var request = Get(server.Issue(["foo"]));

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Auth OK", await response.Content.ReadAsStringAsync());
        Assert.Contains(server.Audit.Read(), row => row.Action == "auth" && row.Outcome == "ok");
    }

    [Fact]
    public async Task GetRoot_WithoutToken_Is401WithBearerChallenge()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(server.Audit.Read(), row => row.Actor == "anonymous");
        Assert.Contains("spiro_unauthenticated_requests_total{reason=\"no token\"} 1\n", await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousRequests_WithLongHostileIds_AreCountedNotAudited()
    {
        await using var server = await TestServer.StartAsync();
        var before = server.Audit.Read().Count;
        var id = Uri.EscapeDataString("x\n2026-01-01 root deploy foo/prod ok\u001b[31m" + new string('a', 8000));

        for (var i = 0; i < 300; i++)
        {
            using var response = await server.Client.GetAsync(new Uri($"/api/v1/deploys/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(before, server.Audit.Read().Count);
        Assert.Contains("spiro_unauthenticated_requests_total{reason=\"no token\"} 300\n", await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticatedRequest_WithControlCharactersInTheId_IsAuditedEscapedAndCapped()
    {
        await using var server = await TestServer.StartAsync();
        var token = server.Issue(["foo"]);
        var id = "x\n2026-01-01 forged row\u001b[31m" + new string('a', 8000);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deploys/{Uri.EscapeDataString(id)}");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var row = server.Audit.Read()[^1];
        Assert.StartsWith("x\\n2026-01-01 forged row\\u001b[31maaa", row.Target, StringComparison.Ordinal);
        Assert.EndsWith("...[cut]", row.Target, StringComparison.Ordinal);
        Assert.True(row.Target.Length <= 310, $"{row.Target.Length} characters");
        Assert.DoesNotContain(row.Target, char.IsControl);
        Assert.Null(server.Audit.Verify());
    }

    private static HttpRequestMessage Get(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");
        return request;
    }

    private static string? TokenFor(TestServer server, string kind) => kind switch
    {
        "none" => null,
        "malformed" => "spiro_not-a-real-token",
        "not-bearer" => server.Issue(["foo"]),
        "unknown" => Core.Tokens.TokenSecret.Generate(),
        "expired" => Expired(server),
        "not-yet-valid" => server.Issue(["foo"], notBefore: DateTimeOffset.UtcNow.AddHours(1)),
        "revoked" => Revoked(server),
        "wrong-project" => server.Issue(["bar"]),
        "wrong-deployment" => server.Issue(["foo"], ["prod"]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Expired(TestServer server)
    {
        // Issued two hours ago for one hour, through a store whose clock is in the past.
        var past = new PastClock(TimeSpan.FromHours(2));
        var store = new Core.Tokens.TokenStore(Core.Metadata.MetadataDatabase.Open(Path.Combine(server.Data, "spiro.db")), past);
        var scope = new Core.Tokens.TokenScope(["foo"], [], false);
        return store.Issue(new Core.Tokens.TokenRequest(scope, "old", null, TimeSpan.FromHours(1))).Token;
    }

    private static string Revoked(TestServer server)
    {
        var token = server.Issue(["foo"]);
        server.Tokens.Revoke(server.Tokens.FindByToken(token)!.Id);
        return token;
    }

    private static void SetAuthorization(HttpRequestMessage request, string kind, string? token)
    {
        request.Headers.Remove("Authorization");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", kind == "not-bearer" ? $"Basic {token}" : $"bearer {token}");
        }
    }
}
