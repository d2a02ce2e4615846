using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Tokens;
using Spiro.Dashboard.Pages;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Endpoints;

/// <summary>
/// Rollback, promote, delete and token revocation: a GET shows the confirmation, only its POST (with
/// a valid anti-forgery token) acts. The token is checked and audited as the v1 API does, and the
/// store audits the change with the token's actor, exactly as for the API and the CLI.
/// </summary>
internal static class ActionEndpoints
{
    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/saltenvs/{project}/{deployment}/rollback", ConfirmRollback);
        ui.MapGet("/saltenvs/{project}/{deployment}/promote", ConfirmPromote);
        ui.MapGet("/saltenvs/{project}/{deployment}/delete", ConfirmDelete);
        ui.MapPost("/saltenvs/{project}/{deployment}/rollback", RollbackAsync);
        ui.MapPost("/saltenvs/{project}/{deployment}/promote", PromoteAsync);
        ui.MapPost("/saltenvs/{project}/{deployment}/delete", DeleteAsync);
        ui.MapGet("/admin/tokens/{id}/revoke", ConfirmRevoke);
        ui.MapPost("/admin/tokens/{id}/revoke", RevokeAsync);
    }

    private static IResult ConfirmRollback(string project, string deployment, string? release, HttpContext http, PageResults pages, ReleaseStore store, ReleaseContents contents)
    {
        if (Guard(http, pages, project, deployment, out var context, out var saltEnv) is { } refusal)
        {
            return refusal;
        }

        var live = store.Releases(saltEnv!).FirstOrDefault(r => r.Live);
        var target = release is null ? (live is null ? null : contents.Previous(live)) : contents.Find(saltEnv!, release);
        if (live is null || target is null || target.Live)
        {
            return PageResults.Page(MessagePage.Render(context!, "Nothing to roll back to", release is null ? $"{saltEnv} keeps no release older than the live one." : MessagePage.NotFound, DashboardPaths.SaltEnv(saltEnv!.ToString())), StatusCodes.Status404NotFound);
        }

        return PageResults.Page(ConfirmPage.Render(context!, $"Roll back {saltEnv}",
            $"Make {target.Id} (published {Html.Show.Time(target.Created)} by {target.PublishedBy}) live in {saltEnv} instead of {live.Id}?",
            DashboardPaths.Action(saltEnv!.ToString(), "rollback"), "Roll back", [("release", target.Id)], DashboardPaths.SaltEnv(saltEnv.ToString())));
    }

    private static IResult ConfirmPromote(string project, string deployment, string? to, HttpContext http, PageResults pages, ReleaseStore store)
    {
        if (Guard(http, pages, project, deployment, out var context, out var saltEnv) is { } refusal)
        {
            return refusal;
        }

        var target = SaltEnvName.TryCreate(project, to, out var error);
        if (target is null || target == saltEnv)
        {
            return PageResults.Page(MessagePage.Render(context!, "Cannot promote", target is null ? $"deployment: {error}" : "Pick another deployment than this one.", DashboardPaths.SaltEnv(saltEnv!.ToString())), StatusCodes.Status400BadRequest);
        }

        if (!context!.Viewer!.AdminOn(target))
        {
            return PageResults.Forbidden(context, $"Your token may not change {target}.");
        }

        var live = store.Releases(saltEnv!).FirstOrDefault(r => r.Live);
        return live is null ? PageResults.NotFound(context) : PageResults.Page(ConfirmPage.Render(context, $"Promote {saltEnv} to {target}",
            $"Publish {saltEnv}'s live release {live.Id} into {target}, making it live there?",
            DashboardPaths.Action(saltEnv!.ToString(), "promote"), "Promote", [("to", target.Deployment), ("release", live.Id)], DashboardPaths.SaltEnv(saltEnv.ToString())));
    }

    private static IResult ConfirmDelete(string project, string deployment, HttpContext http, PageResults pages, ReleaseStore store) =>
        Guard(http, pages, project, deployment, out var context, out var saltEnv) is { } refusal ? refusal
            : store.Releases(saltEnv!).Count == 0 ? PageResults.NotFound(context!)
            : PageResults.Page(ConfirmPage.Render(context!, $"Delete {saltEnv}",
                $"Remove {saltEnv}: Salt stops serving it and its {store.Releases(saltEnv!).Count} kept release(s) are removed. The history stays. This cannot be undone.",
                DashboardPaths.Action(saltEnv!.ToString(), "delete"), "Delete", [], DashboardPaths.SaltEnv(saltEnv.ToString())));

    private static async Task<IResult> RollbackAsync(string project, string deployment, HttpContext http, PageResults pages, TokenService tokens, AuditLog audit, ReleaseStore store)
    {
        var (refusal, context, saltEnv, form) = await PostGuardAsync(http, pages, audit, project, deployment, "rollback").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (Authorize(tokens, context!, [(saltEnv!.ToString(), TokenRequirement.AdminOn(project, deployment))], "rollback", saltEnv.ToString()) is not { } token)
        {
            return PageResults.Forbidden(context!, $"Your token may not roll back {saltEnv}.");
        }

        var release = form!["release"].ToString() is { Length: > 0 } chosen ? chosen : null;
        var result = await store.RollbackAsync(saltEnv, release, new PublishContext(token.Actor), http.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            RollbackResult.RolledBack r => await ChangeDone.PageAsync(http, context!, $"Rolled back {saltEnv}", $"{r.Release.Id} is live in {saltEnv} (was {r.Previous}).", r.Warnings, saltEnv, r.Release.Id, moved: r.Previous != r.Release.Id, DashboardPaths.SaltEnv(saltEnv.ToString())).ConfigureAwait(false),
            RollbackResult.NotFound n => Failed(context!, "Rollback failed", n.Message, saltEnv, StatusCodes.Status404NotFound),
            RollbackResult.Refused f => Failed(context!, "Rollback refused", f.Message, saltEnv, StatusCodes.Status409Conflict),
            RollbackResult.Locked l => Failed(context!, "Rollback failed", l.Message, saltEnv, StatusCodes.Status409Conflict),
            _ => Failed(context!, "Rollback failed", "unexpected rollback result", saltEnv, StatusCodes.Status500InternalServerError),
        };
    }

    private static async Task<IResult> PromoteAsync(string project, string deployment, HttpContext http, PageResults pages, TokenService tokens, AuditLog audit, ReleaseStore store)
    {
        var (refusal, context, source, form) = await PostGuardAsync(http, pages, audit, project, deployment, "promote").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var to = form!["to"].ToString();
        if (SaltEnvName.TryCreate(project, to, out var error) is not { } target)
        {
            return Failed(context!, "Cannot promote", $"deployment: {error}", source!, StatusCodes.Status400BadRequest);
        }

        if (!context!.Viewer!.Sees(target) && !context.Viewer.Token.Scope.Admin)
        {
            return PageResults.NotFound(context);
        }

        var needs = new[] { (source!.ToString(), TokenRequirement.AdminOn(project, deployment)), (target.ToString(), TokenRequirement.AdminOn(project, to)) };
        if (Authorize(tokens, context, needs, "promote", target.ToString()) is not { } token)
        {
            return PageResults.Forbidden(context, $"Your token may not promote {source} to {target}.");
        }

        var release = form["release"].ToString() is { Length: > 0 } chosen ? chosen : null;
        var result = await store.PromoteAsync(source, target, release, new PublishContext(token.Actor), http.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            PromoteResult.Promoted p => await ChangeDone.PageAsync(http, context, $"Promoted to {target}", $"{p.Release.Id} (from {p.SourceId}) is live in {target}.", p.Warnings, target, p.Release.Id, moved: true, DashboardPaths.SaltEnv(target.ToString())).ConfigureAwait(false),
            PromoteResult.NotFound n => Failed(context, "Promote failed", n.Message, source, StatusCodes.Status404NotFound),
            PromoteResult.Rejected r => Failed(context, "Promote failed", r.Message, source, StatusCodes.Status400BadRequest),
            PromoteResult.Locked l => Failed(context, "Promote failed", l.Message, source, StatusCodes.Status409Conflict),
            _ => Failed(context, "Promote failed", "unexpected promote result", source, StatusCodes.Status500InternalServerError),
        };
    }

    private static async Task<IResult> DeleteAsync(string project, string deployment, HttpContext http, PageResults pages, TokenService tokens, AuditLog audit, ReleaseStore store)
    {
        var (refusal, context, saltEnv, _) = await PostGuardAsync(http, pages, audit, project, deployment, "delete").ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (Authorize(tokens, context!, [(saltEnv!.ToString(), TokenRequirement.AdminOn(project, deployment))], "delete", saltEnv.ToString()) is not { } token)
        {
            return PageResults.Forbidden(context!, $"Your token may not delete {saltEnv}.");
        }

        var result = await store.DeleteAsync(saltEnv, new PublishContext(token.Actor), http.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            DeleteResult.Deleted d => await ChangeDone.PageAsync(http, context!, $"Deleted {saltEnv}", $"{saltEnv} is gone; {d.RemovedReleases.Count} release(s) removed.", d.Warnings, saltEnv, null, moved: true, DashboardPaths.Overview).ConfigureAwait(false),
            DeleteResult.NotFound n => Failed(context!, "Delete failed", n.Message, saltEnv, StatusCodes.Status404NotFound),
            DeleteResult.Locked l => Failed(context!, "Delete failed", l.Message, saltEnv, StatusCodes.Status409Conflict),
            _ => Failed(context!, "Delete failed", "unexpected delete result", saltEnv, StatusCodes.Status500InternalServerError),
        };
    }

    private static IResult ConfirmRevoke(string id, HttpContext http, PageResults pages, TokenStore tokens)
    {
        if (pages.SignedIn(http) is not { } context)
        {
            return PageResults.ToSignIn();
        }

        return !context.Viewer!.IsRootAdmin || tokens.FindById(id) is not { Revoked: null } token ? PageResults.NotFound(context)
            : PageResults.Page(ConfirmPage.Render(context, $"Revoke token {token.Id}",
                $"Revoke {token.Actor} ({TokensPage.Scope(token.Scope)})? Every client and dashboard session using it is refused from now on.",
                DashboardPaths.Revoke(token.Id), "Revoke", [], DashboardPaths.Tokens));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, PageResults pages, TokenService tokens, AuditLog audit, SessionStore sessions)
    {
        if (pages.SignedIn(http) is not { } context)
        {
            return PageResults.ToSignIn();
        }

        if (await pages.ValidFormAsync(http).ConfigureAwait(false) is null)
        {
            audit.Append(context.Viewer!.Token.Actor, "token.revoke", $"token:{id}", "refused", "anti-forgery token missing or invalid");
            return PageResults.BadForm(context);
        }

        if (!context.Viewer!.IsRootAdmin || tokens.Store.FindById(id) is not { } token)
        {
            return PageResults.NotFound(context);
        }

        if (tokens.AuthenticateById(context.Viewer.Token.Id, new TokenRequirement(null, null, Admin: true), "token.revoke", $"token:{id}") is not AuthDecision.Allowed allowed)
        {
            return PageResults.Forbidden(context, "Your token may not revoke tokens.");
        }

        tokens.Store.Revoke(token.Id);
        audit.Append(allowed.Token.Actor, "token.revoke", $"token:{token.Id}", "ok", $"label {token.Label}");
        sessions.RemoveToken(token.Id);
        return PageResults.Page(MessagePage.Render(context, "Token revoked", $"{token.Actor} is revoked.", DashboardPaths.Tokens));
    }

    /// <summary>Signed in, a valid saltenv the viewer sees (else the common 404), with admin scope on it (else 403).</summary>
    private static IResult? Guard(HttpContext http, PageResults pages, string project, string deployment, out PageContext? context, out SaltEnvName? saltEnv)
    {
        context = pages.SignedIn(http);
        saltEnv = SaltEnvName.TryCreate(project, deployment, out _);
        if (context is null)
        {
            return PageResults.ToSignIn();
        }

        if (saltEnv is null || !context.Viewer!.Sees(saltEnv))
        {
            return PageResults.NotFound(context);
        }

        return context.Viewer.AdminOn(saltEnv) ? null : PageResults.Forbidden(context, $"Your token may not change {saltEnv}: that needs an admin token.");
    }

    /// <summary>As <see cref="Guard"/> for a POST, plus the anti-forgery check (a refusal is audited).</summary>
    private static async Task<(IResult? Refusal, PageContext? Context, SaltEnvName? SaltEnv, IFormCollection? Form)> PostGuardAsync(HttpContext http, PageResults pages, AuditLog audit, string project, string deployment, string action)
    {
        if (Guard(http, pages, project, deployment, out var context, out var saltEnv) is { } refusal)
        {
            return (refusal, context, saltEnv, null);
        }

        if (await pages.ValidFormAsync(http).ConfigureAwait(false) is not { } form)
        {
            audit.Append(context!.Viewer!.Token.Actor, action, saltEnv!.ToString(), "refused", "anti-forgery token missing or invalid");
            return (PageResults.BadForm(context), context, saltEnv, null);
        }

        return (null, context, saltEnv, form);
    }

    private static TokenRecord? Authorize(TokenService tokens, PageContext context, IReadOnlyList<(string Target, TokenRequirement Requirement)> needs, string action, string target) =>
        tokens.AuthenticateAllById(context.Viewer!.Token.Id, needs, action, target) is AuthDecision.Allowed allowed ? allowed.Token : null;

    private static IResult Failed(PageContext context, string title, string message, SaltEnvName saltEnv, int status) =>
        PageResults.Page(MessagePage.Render(context, title, message, DashboardPaths.SaltEnv(saltEnv.ToString())), status);
}
