using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Protocol.Views;
using Spiro.Server.Metrics;

namespace Spiro.Server.Endpoints;

/// <summary><c>/healthz</c>, <c>/metrics</c> and <c>/api/v1/info</c>: no token needed, nothing secret.</summary>
internal static class HealthEndpoints
{
    public static readonly string[] Features = ["gzip", "zstd", "resume", "test-highstate", "tolerate-missing", "releases", "rollback", "promote", "delete", "plan", "diff", Spiro.Protocol.Deltas.DeltaJson.Feature];

    public static string Version { get; } =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/healthz", (HttpContext context) => Results.Text(
            context.RequestServices.GetService(typeof(Spiro.Cluster.Sharing.ClusterReleases)) is Spiro.Cluster.Sharing.ClusterReleases releases
                ? Cluster.ClusterHealth.Text(releases, context.RequestServices.GetRequiredService<Spiro.Cluster.Sharing.ClusterState>(), context.RequestServices.GetRequiredService<Spiro.Core.Releases.ReleaseStore>())
                : "ok\n",
            "text/plain"));
        app.MapGet("/metrics", (ServerMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
        api.MapGet("/info", () => ApiResults.View(new InfoView("spirofs", Version, 1, Features)));
    }
}
