using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Plans;
using Spiro.Core.Tokens;
using Spiro.Protocol.Events;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Options;
using Spiro.Server.Sse;

namespace Spiro.Server.Endpoints;

/// <summary>
/// Plans (docs/api.md "Plans"): <c>POST /api/v1/plans</c> uploads a bundle as a candidate that is
/// not live and streams its diff, minions and test run; <c>GET /api/v1/plans/{id}</c> reads a plan;
/// <c>POST /api/v1/plans/{id}/apply</c> makes exactly that candidate live and highstates as a deploy.
/// Not the negotiated upload's delta plans (<see cref="DeltaPlanEndpoints"/>).
/// </summary>
internal static class PlanEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/plans", (HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload, DeltaPlans deltas, ProjectDeployGate gate) =>
            DeployApiEndpoints.DeployAsync(context, auth, deploys, streamer, upload, deltas, gate, candidate: true));
        api.MapGet("/plans/{id}", Read);
        api.MapPost("/plans/{id}/apply", ApplyAsync);
    }

    private static IResult Read(string id, HttpRequest request, RequestAuth auth, ReleaseStore store, ServerOptions options)
    {
        if (Authorized(id, request, auth, store, "plan.read", out var plan) is { } refusal)
        {
            return refusal;
        }

        return Results.Json(PlanViews.Create(store, plan!, options.Dashboard.Diff), DeployEventJson.Default.PlanView);
    }

    private static async Task ApplyAsync(string id, HttpContext context, RequestAuth auth, ReleaseStore store, DeployService deploys, EventStreamer streamer)
    {
        var query = context.Request.Query;
        string? flagError = null;
        var force = DeployApiEndpoints.Flag("force", query["force"], ref flagError);
        var highstate = string.IsNullOrEmpty(query["highstate"]) || DeployApiEndpoints.Flag("highstate", query["highstate"], ref flagError);
        var test = DeployApiEndpoints.Flag("test", query["test"], ref flagError);
        var tolerateMissing = DeployApiEndpoints.Flag("tolerate_missing", query["tolerate_missing"], ref flagError);
        if (Authorized(id, context.Request, auth, store, "apply", out var plan, out var token, flagError) is { } refusal)
        {
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (flagError is null && (query["project"].FirstOrDefault() is { } project && project != plan!.SaltEnv.Project
            || query["deployment"].FirstOrDefault() is { } deployment && deployment != plan!.SaltEnv.Deployment))
        {
            flagError = $"plan {plan!.Id} is a plan of {plan.SaltEnv}, not of {query["project"]}/{query["deployment"]}";
        }

        if (flagError is not null || deploys.Stopping)
        {
            await ApiResults.Error(flagError is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest, flagError ?? "the server is shutting down; retry").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (deploy, result) = await deploys.ApplyAsync(token!, plan!.SaltEnv, plan.Id, force, highstate, test, tolerateMissing, context.RequestAborted).ConfigureAwait(false);
        if (deploy is null)
        {
            var failure = result switch
            {
                ApplyResult.Stale stale => ApiResults.Error(StatusCodes.Status409Conflict, stale.Message),
                ApplyResult.Refused refused => ApiResults.Error(StatusCodes.Status409Conflict, refused.Message),
                ApplyResult.Expired expired => ApiResults.Error(StatusCodes.Status410Gone, expired.Message),
                ApplyResult.Locked locked => ApiResults.Error(StatusCodes.Status409Conflict, locked.Message),
                ApplyResult.NotFound notFound => ApiResults.Error(StatusCodes.Status404NotFound, notFound.Message),
                _ => ApiResults.Error(StatusCodes.Status500InternalServerError, "unexpected apply result"),
            };
            await failure.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers[DeployApiEndpoints.DeployIdHeader] = deploy.Id;
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, deploy.Id, 0, _ => true, withIds: true, context.RequestAborted).ConfigureAwait(false);
    }

    private static IResult? Authorized(string id, HttpRequest request, RequestAuth auth, ReleaseStore store, string action, out PlanRecord? plan) =>
        Authorized(id, request, auth, store, action, out plan, out _);

    /// <summary>A token for the plan's saltenv (deploy scope); an unknown plan is a 404 to any valid token.</summary>
    private static IResult? Authorized(string id, HttpRequest request, RequestAuth auth, ReleaseStore store, string action, out PlanRecord? plan, out TokenRecord? token, string? refusal = null)
    {
        plan = store.FindPlan(id);
        var requirement = plan is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(plan.SaltEnv.Project, plan.SaltEnv.Deployment);
        token = auth.Check(request, requirement, action, plan?.SaltEnv.ToString() ?? "-", json: true, out var failure, refusal: plan is null ? null : refusal);
        if (token is null)
        {
            return failure;
        }

        return plan is null ? ApiResults.Error(StatusCodes.Status404NotFound, $"no plan with id {id}") : null;
    }
}
