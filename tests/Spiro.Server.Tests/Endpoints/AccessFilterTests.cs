using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Spiro.Server.Tests.Endpoints;

/// <summary>Every v1 route goes through the access filter: none answers a request without a token with anything but 401.</summary>
public sealed class AccessFilterTests
{
    [Fact]
    public async Task EveryV1Route_ButInfo_WithoutAToken_IsUnauthorizedWithABearerChallenge()
    {
        await using var server = await TestServer.StartAsync();
        var routes = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/v1/", StringComparison.Ordinal) && raw != "/api/v1/info")
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: Fill(e.RoutePattern.RawText!))))
            .ToList();

        Assert.True(routes.Count >= 14, string.Join(", ", routes));
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await server.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.StartsWith("{\"error\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static string Fill(string pattern) => pattern
        .Replace("{project}", "foo", StringComparison.Ordinal)
        .Replace("{deployment}", "dev", StringComparison.Ordinal)
        .Replace("{id}", "0123456789abcdef", StringComparison.Ordinal)
        .TrimEnd('/');
}
