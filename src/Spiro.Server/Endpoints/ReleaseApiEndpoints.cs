using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;
using Spiro.Core.Views;
using Spiro.Server.Auth;
using Spiro.Server.Cluster;

namespace Spiro.Server.Endpoints;

/// <summary>Projects, saltenvs, releases and history (filtered to the token's scope); rollback, promote and delete (admin scope).</summary>
internal static class ReleaseApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects", (HttpContext context, ReleaseStore store) =>
                ApiResults.View(ResourceViews.Projects(Visible(store, Caller.Of(context).Token))))
            .Requires("list", Needs.Listing("projects"));
        api.MapGet("/saltenvs", (HttpContext context, ReleaseStore store) =>
                ApiResults.View(Visible(store, Caller.Of(context).Token).Select(ResourceViews.SaltEnv).ToArray()))
            .Requires("list", Needs.Listing("saltenvs"));

        var saltEnv = api.MapGroup("/saltenvs/{project}/{deployment}");
        saltEnv.MapGet("/releases", Releases).Requires("releases", Needs.SaltEnv(admin: false));
        saltEnv.MapGet("/history", History).Requires("history", Needs.SaltEnv(admin: false));
        saltEnv.MapPost("/rollback", RollbackAsync).Requires("rollback", Needs.SaltEnv(admin: true));
        saltEnv.MapPost("/promote", PromoteAsync).Requires("promote", Needs.Promote);
        saltEnv.MapDelete("/", DeleteAsync).Requires("delete", Needs.SaltEnv(admin: true));
    }

    private static IResult Releases(HttpContext context, ReleaseStore store, HighstateResultStore results)
    {
        var saltEnv = Caller.Of(context).SaltEnv!;
        var releases = store.Releases(saltEnv);
        return releases.Count == 0
            ? ApiResults.Error(StatusCodes.Status404NotFound, $"saltenv {saltEnv} has no releases")
            : ApiResults.View(releases.Select(r => ResourceViews.Release(r, results)).ToArray());
    }

    /// <summary>The saltenv's pointer history, newest first; a deleted saltenv keeps its rows, one never seen is 404.</summary>
    private static IResult History(int? limit, HttpContext context, ReleaseStore store)
    {
        var saltEnv = Caller.Of(context).SaltEnv!;
        var history = store.History(saltEnv);
        if (history.Count == 0 && store.LiveReleasePath(saltEnv) is null)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, $"unknown saltenv {saltEnv}");
        }

        return limit is < 0
            ? ApiResults.Error(StatusCodes.Status400BadRequest, "query parameter limit must not be negative")
            : ApiResults.View(ResourceViews.History(history, limit));
    }

    private static async Task<IResult> RollbackAsync(string? release, HttpContext context, ReleaseStore store, HighstateResultStore results)
    {
        var caller = Caller.Of(context);
        var result = await store.RollbackAsync(caller.SaltEnv!, release, new PublishContext(caller.Token.Actor), context.RequestAborted).ConfigureAwait(false);
        if (result is RollbackResult.RolledBack moved && moved.Previous != moved.Release.Id)
        {
            result = moved with { Warnings = await WaitForMastersAsync(context, caller.SaltEnv!, moved.Release.Id, moved.Warnings).ConfigureAwait(false) };
        }

        return result switch
        {
            RollbackResult.RolledBack r => ApiResults.View(ResourceViews.Rollback(r, results)),
            RollbackResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            RollbackResult.Refused f => ApiResults.Error(StatusCodes.Status409Conflict, f.Message),
            RollbackResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected rollback result"),
        };
    }

    private static async Task<IResult> PromoteAsync(string? release, HttpContext context, ReleaseStore store, HighstateResultStore results)
    {
        var caller = Caller.Of(context);
        var source = (SaltEnvName)caller.Found!;
        var result = await store.PromoteAsync(source, caller.SaltEnv!, release, new PublishContext(caller.Token.Actor), context.RequestAborted).ConfigureAwait(false);
        if (result is PromoteResult.Promoted promoted)
        {
            result = promoted with { Warnings = await WaitForMastersAsync(context, caller.SaltEnv!, promoted.Release.Id, promoted.Warnings).ConfigureAwait(false) };
        }

        return result switch
        {
            PromoteResult.Promoted p => ApiResults.View(ResourceViews.Promote(p, source, results)),
            PromoteResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            PromoteResult.Rejected r => ApiResults.Error(StatusCodes.Status400BadRequest, r.Message),
            PromoteResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected promote result"),
        };
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, ReleaseStore store)
    {
        var caller = Caller.Of(context);
        var result = await store.DeleteAsync(caller.SaltEnv!, new PublishContext(caller.Token.Actor), context.RequestAborted).ConfigureAwait(false);
        if (result is DeleteResult.Deleted deleted)
        {
            result = deleted with { Warnings = await WaitForMastersAsync(context, caller.SaltEnv!, null, deleted.Warnings).ConfigureAwait(false) };
        }

        return result switch
        {
            DeleteResult.Deleted d => ApiResults.View(ResourceViews.Delete(d)),
            DeleteResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            DeleteResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected delete result"),
        };
    }

    /// <summary>
    /// In a cluster the answer waits until every live master serves the change (<paramref name="releaseId"/>
    /// null: the delete), as a deploy does; masters that did not within <c>cluster.apply_timeout</c>
    /// become a warning naming them (the change stands: the pointer moved). Otherwise <paramref name="warnings"/>.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WaitForMastersAsync(HttpContext context, SaltEnvName saltEnv, string? releaseId, IReadOnlyList<string> warnings) =>
        context.RequestServices.GetService<ClusterConvergence>() is { } convergence
            && (await convergence.WaitForChangeAsync(saltEnv, releaseId, context.RequestAborted).ConfigureAwait(false)).Problem is { } laggards
            ? [.. warnings, laggards]
            : warnings;

    private static IEnumerable<DeploymentInfo> Visible(ReleaseStore store, TokenRecord token) =>
        store.Deployments().Where(d => token.Scope.Covers(d.SaltEnv.Project, d.SaltEnv.Deployment));
}
