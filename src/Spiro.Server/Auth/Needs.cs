using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;

namespace Spiro.Server.Auth;

/// <summary>How the v1 routes work out their <see cref="AccessNeed"/>: from the route's saltenv, the query's, or the record an id names.</summary>
internal static class Needs
{
    /// <summary>Any valid token, audited against <paramref name="target"/> (a listing, filtered to the token's scope afterwards).</summary>
    public static Func<HttpContext, AccessNeed> Listing(string target) => _ => AccessNeed.AnyToken with { Target = target };

    /// <summary>A root token only.</summary>
    public static AccessNeed Root(HttpContext context) => new(TokenRequirement.RootOnly, "-");

    /// <summary>The route's <c>{project}/{deployment}</c>, read (deploy scope) or changed (<paramref name="admin"/>).</summary>
    public static Func<HttpContext, AccessNeed> SaltEnv(bool admin) => context =>
        ForSaltEnv(context.Request.RouteValues["project"] as string, context.Request.RouteValues["deployment"] as string, admin);

    /// <summary>The query's <c>project</c> and <c>deployment</c> (uploads, delta negotiation), deploy scope.</summary>
    public static AccessNeed SaltEnvInQuery(HttpContext context) =>
        ForSaltEnv(context.Request.Query["project"], context.Request.Query["deployment"], admin: false);

    /// <summary>The deploy <c>{id}</c> names, with a token covering its saltenv; 404 to any valid token when unknown.</summary>
    public static AccessNeed Deploy(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        var deploy = context.RequestServices.GetRequiredService<DeployLog>().Find(id);
        if (deploy is null || SaltEnvName.TryParse(deploy.SaltEnv, out _) is not { } saltEnv)
        {
            return new AccessNeed(TokenRequirement.AnyValid, deploy?.SaltEnv ?? id) { Missing = $"no deploy with id {id}" };
        }

        return new AccessNeed(TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment), deploy.SaltEnv, saltEnv) { Found = deploy };
    }

    /// <summary>The plan <c>{id}</c> names, with a token covering its saltenv; 404 to any valid token when unknown.</summary>
    public static AccessNeed Plan(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (context.RequestServices.GetRequiredService<ReleaseStore>().FindPlan(id) is not { } plan)
        {
            return AccessNeed.AnyToken with { Missing = $"no plan with id {id}" };
        }

        return new AccessNeed(TokenRequirement.Deploy(plan.SaltEnv.Project, plan.SaltEnv.Deployment), plan.SaltEnv.ToString(), plan.SaltEnv) { Found = plan };
    }

    /// <summary>
    /// A promotion reads <c>?from=</c> and writes the route's deployment: admin on both, checked
    /// together so a token covering one side leaves one refused row, not an ok row and a refusal.
    /// A bad source name is refused before the target is judged (a client without a token learns nothing but 401).
    /// </summary>
    public static AccessNeed Promote(HttpContext context)
    {
        var project = context.Request.RouteValues["project"] as string;
        var deployment = context.Request.RouteValues["deployment"] as string;
        string? from = context.Request.Query["from"];
        if (SaltEnvName.TryCreate(project, from, out var fromError) is not { } source)
        {
            return AccessNeed.Refused($"query parameter from: {fromError}");
        }

        if (SaltEnvName.TryCreate(project, deployment, out _) is not { } target)
        {
            return ForSaltEnv(project, deployment, admin: true);
        }

        return new AccessNeed(TokenRequirement.AdminOn(target.Project, target.Deployment), target.ToString(), target)
        {
            All = [(source.ToString(), TokenRequirement.AdminOn(source.Project, source.Deployment)), (target.ToString(), TokenRequirement.AdminOn(target.Project, target.Deployment))],
            Found = source,
        };
    }

    /// <summary>A saltenv by name: a bad name is audited as refused with its rule and answered 400.</summary>
    public static AccessNeed ForSaltEnv(string? project, string? deployment, bool admin)
    {
        if (SaltEnvName.TryCreate(project, deployment, out var error) is not { } saltEnv)
        {
            return AccessNeed.Refused(error!);
        }

        return new AccessNeed(new TokenRequirement(saltEnv.Project, saltEnv.Deployment, admin), saltEnv.ToString(), saltEnv);
    }
}
