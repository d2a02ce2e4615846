using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;
using Spiro.Core.Views;
using Spiro.Server.Auth;

namespace Spiro.Server.Endpoints;

/// <summary>Projects, saltenvs and releases (filtered to the token's scope); rollback, promote and delete (admin scope).</summary>
internal static class ReleaseApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects", (HttpRequest request, RequestAuth auth, ReleaseStore store) =>
            auth.Check(request, TokenRequirement.AnyValid, "list", "projects", json: true, out var failure) is not { } token
                ? failure!
                : ApiResults.View(ResourceViews.Projects(Visible(store, token))));
        api.MapGet("/saltenvs", (HttpRequest request, RequestAuth auth, ReleaseStore store) =>
            auth.Check(request, TokenRequirement.AnyValid, "list", "saltenvs", json: true, out var failure) is not { } token
                ? failure!
                : ApiResults.View(Visible(store, token).Select(ResourceViews.SaltEnv).ToArray()));
        api.MapGet("/saltenvs/{project}/{deployment}/releases", Releases);
        api.MapGet("/saltenvs/{project}/{deployment}/history", History);
        api.MapPost("/saltenvs/{project}/{deployment}/rollback", RollbackAsync);
        api.MapPost("/saltenvs/{project}/{deployment}/promote", PromoteAsync);
        api.MapDelete("/saltenvs/{project}/{deployment}", DeleteAsync);
    }

    private static IResult Releases(string project, string deployment, HttpRequest request, RequestAuth auth, ReleaseStore store, HighstateResultStore results)
    {
        if (Authorize(project, deployment, request, auth, "releases", admin: false, out var saltEnv) is { } refusal)
        {
            return refusal;
        }

        var releases = store.Releases(saltEnv!);
        return releases.Count == 0
            ? ApiResults.Error(StatusCodes.Status404NotFound, $"saltenv {saltEnv} has no releases")
            : ApiResults.View(releases.Select(r => ResourceViews.Release(r, results)).ToArray());
    }

    /// <summary>The saltenv's pointer history, newest first; a deleted saltenv keeps its rows, one never seen is 404.</summary>
    private static IResult History(string project, string deployment, int? limit, HttpRequest request, RequestAuth auth, ReleaseStore store)
    {
        if (Authorize(project, deployment, request, auth, "history", admin: false, out var saltEnv) is { } refusal)
        {
            return refusal;
        }

        var history = store.History(saltEnv!);
        if (history.Count == 0 && store.LiveReleasePath(saltEnv!) is null)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, $"unknown saltenv {saltEnv}");
        }

        return limit is < 0
            ? ApiResults.Error(StatusCodes.Status400BadRequest, "query parameter limit must not be negative")
            : ApiResults.View(ResourceViews.History(history, limit));
    }

    private static async Task<IResult> RollbackAsync(string project, string deployment, string? release, HttpRequest request, RequestAuth auth, ReleaseStore store, HighstateResultStore results)
    {
        if (Authorize(project, deployment, request, auth, "rollback", admin: true, out var saltEnv, out var token) is { } refusal)
        {
            return refusal;
        }

        var result = await store.RollbackAsync(saltEnv!, release, new PublishContext(token!.Actor), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            RollbackResult.RolledBack r => ApiResults.View(ResourceViews.Rollback(r, results)),
            RollbackResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            RollbackResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected rollback result"),
        };
    }

    private static async Task<IResult> PromoteAsync(string project, string deployment, string? from, string? release, HttpRequest request, RequestAuth auth, ReleaseStore store, HighstateResultStore results)
    {
        // Authenticate before judging parameters: a client without a token learns nothing but 401.
        if (SaltEnvName.TryCreate(project, from, out var fromError) is not { } source)
        {
            var problem = $"query parameter from: {fromError}";
            return auth.Check(request, TokenRequirement.AnyValid, "promote", "-", json: true, out var failure, refusal: problem) is null
                ? failure!
                : ApiResults.Error(StatusCodes.Status400BadRequest, problem);
        }

        if (SaltEnvName.TryCreate(project, deployment, out _) is not { } target)
        {
            // A bad target name: authenticated and audited as refused, then 400 (never null here).
            return Authorize(project, deployment, request, auth, "promote", admin: true, out _)!;
        }

        // Promotion reads one deployment and writes another: the token must cover both, with admin
        // scope. Both are checked before the audit row is written, so a token that covers only the
        // source leaves one refused row, not an ok row followed by a refusal.
        var token = auth.CheckAll(
            request,
            [(source.ToString(), TokenRequirement.AdminOn(project, from!)), (target.ToString(), TokenRequirement.AdminOn(project, deployment))],
            "promote",
            target.ToString(),
            json: true,
            out var refusal);
        if (token is null)
        {
            return refusal!;
        }

        var result = await store.PromoteAsync(source, target, release, new PublishContext(token.Actor), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            PromoteResult.Promoted p => ApiResults.View(ResourceViews.Promote(p, source, results)),
            PromoteResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            PromoteResult.Rejected r => ApiResults.Error(StatusCodes.Status400BadRequest, r.Message),
            PromoteResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected promote result"),
        };
    }

    private static async Task<IResult> DeleteAsync(string project, string deployment, HttpRequest request, RequestAuth auth, ReleaseStore store)
    {
        if (Authorize(project, deployment, request, auth, "delete", admin: true, out var saltEnv, out var token) is { } refusal)
        {
            return refusal;
        }

        var result = await store.DeleteAsync(saltEnv!, new PublishContext(token!.Actor), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            DeleteResult.Deleted d => ApiResults.View(ResourceViews.Delete(d)),
            DeleteResult.NotFound n => ApiResults.Error(StatusCodes.Status404NotFound, n.Message),
            DeleteResult.Locked l => ApiResults.Error(StatusCodes.Status409Conflict, l.Message),
            _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected delete result"),
        };
    }

    private static IResult? Authorize(string project, string deployment, HttpRequest request, RequestAuth auth, string action, bool admin, out SaltEnvName? saltEnv) =>
        Authorize(project, deployment, request, auth, action, admin, out saltEnv, out _);

    private static IResult? Authorize(string project, string deployment, HttpRequest request, RequestAuth auth, string action, bool admin, out SaltEnvName? saltEnv, out TokenRecord? token)
    {
        saltEnv = SaltEnvName.TryCreate(project, deployment, out var error);
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : new TokenRequirement(project, deployment, admin);
        token = auth.Check(request, requirement, action, saltEnv?.ToString() ?? "-", json: true, out var failure, refusal: error);
        if (token is null)
        {
            return failure;
        }

        return saltEnv is null ? ApiResults.Error(StatusCodes.Status400BadRequest, error!) : null;
    }

    private static IEnumerable<DeploymentInfo> Visible(ReleaseStore store, TokenRecord token) =>
        store.Deployments().Where(d => token.Scope.Covers(d.SaltEnv.Project, d.SaltEnv.Deployment));
}
