using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Queries;

namespace Spiro.Dashboard.Endpoints;

/// <summary>The read-only pages. Each: signed in or off to sign-in; one query; what the scope does not cover is the same 404 as what does not exist.</summary>
internal static class PageEndpoints
{
    private const int AuditRows = 200;

    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/", (HttpContext http, PageResults pages, OverviewQuery overview, string? q) =>
            pages.SignedIn(http) is not { } context ? PageResults.ToSignIn()
                : PageResults.Page(OverviewPage.Render(context, overview.Rows(context.Viewer!, Filter(q)), Filter(q))));

        ui.MapGet("/saltenvs/{project}/{deployment}", (string project, string deployment, HttpContext http, PageResults pages, SaltEnvQuery saltEnvs) =>
        {
            if (pages.SignedIn(http) is not { } context)
            {
                return PageResults.ToSignIn();
            }

            return SaltEnvName.TryCreate(project, deployment, out _) is { } saltEnv && saltEnvs.Find(context.Viewer!, saltEnv) is { } view
                ? PageResults.Page(SaltEnvPage.Render(context, view))
                : PageResults.NotFound(context);
        });

        ui.MapGet("/saltenvs/{project}/{deployment}/releases/{release}", (string project, string deployment, string release, HttpContext http, PageResults pages, ReleaseQuery releases) =>
        {
            if (pages.SignedIn(http) is not { } context)
            {
                return PageResults.ToSignIn();
            }

            return SaltEnvName.TryCreate(project, deployment, out _) is { } saltEnv && releases.Find(context.Viewer!, saltEnv, release) is { } view
                ? PageResults.Page(ReleasePage.Render(context, view))
                : PageResults.NotFound(context);
        });

        ui.MapGet("/deploys/{id}", (string id, HttpContext http, PageResults pages, DeployQuery deploys) =>
            pages.SignedIn(http) is not { } context ? PageResults.ToSignIn()
                : deploys.Timeline(context.Viewer!, id) is { } timeline ? PageResults.Page(DeployPage.Render(context, timeline))
                : PageResults.NotFound(context));

        ui.MapGet("/deploys/{id}/events", EventsAsync);

        ui.MapGet("/admin/tokens", (HttpContext http, PageResults pages, TokenStore tokens, TimeProvider time) =>
            pages.SignedIn(http) is not { } context ? PageResults.ToSignIn()
                : context.Viewer!.IsRootAdmin ? PageResults.Page(TokensPage.Render(context, tokens.List(), time.GetUtcNow()))
                : PageResults.NotFound(context));

        ui.MapGet("/admin/audit", (HttpContext http, PageResults pages, AuditLog audit) =>
            pages.SignedIn(http) is not { } context ? PageResults.ToSignIn()
                : context.Viewer!.IsRootAdmin ? PageResults.Page(AuditPage.Render(context, audit.Read(AuditRows), audit.Verify(), AuditRows))
                : PageResults.NotFound(context));
    }

    /// <summary>The deploy's SSE stream for a signed-in browser (EventSource sends the session cookie, never a token).</summary>
    private static async Task EventsAsync(string id, HttpContext http, PageResults pages, DeployQuery deploys, IDeployEventFeed stream)
    {
        var context = pages.SignedIn(http);
        if (context is null || deploys.Find(context.Viewer!, id) is null)
        {
            await (context is null ? Results.Unauthorized() : Results.NotFound()).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var after = long.TryParse(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["after"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
        await stream.StreamAsync(http, id, after).ConfigureAwait(false);
    }

    private static string? Filter(string? q) => string.IsNullOrWhiteSpace(q) ? null : q.Trim()[..Math.Min(q.Trim().Length, 200)];
}
