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
        api.MapPost("/plans", (HttpContext context, DeployService deploys, EventStreamer streamer, DeployUpload upload, DeltaPlans deltas, ProjectDeployGate gate) =>
                DeployApiEndpoints.DeployAsync(context, deploys, streamer, upload, deltas, gate, candidate: true))
            .Requires("plan", context => DeployApiEndpoints.UploadNeed(context, candidate: true));
        api.MapGet("/plans/{id}", Read).Requires("plan.read", Needs.Plan);
        api.MapPost("/plans/{id}/apply", ApplyAsync).Requires("apply", ApplyNeed);
    }

    private static IResult Read(HttpContext context, ReleaseStore store, ServerOptions options) =>
        Results.Json(PlanViews.Create(store, (PlanRecord)Caller.Of(context).Found!, options.Dashboard.Diff), DeployEventJson.Default.PlanView);

    /// <summary>A token for the plan's saltenv; a bad flag on a known plan is audited as refused.</summary>
    private static AccessNeed ApplyNeed(HttpContext context)
    {
        var need = Needs.Plan(context);
        UploadFlags.ParseApply(context.Request.Query, out _, out var flagError);
        return need.Missing is null && flagError is not null ? need with { Refusal = flagError } : need;
    }

    private static async Task ApplyAsync(HttpContext context, DeployService deploys, EventStreamer streamer)
    {
        var query = context.Request.Query;
        var caller = Caller.Of(context);
        var (token, plan) = (caller.Token, (PlanRecord)caller.Found!);
        var flags = UploadFlags.ParseApply(query, out var force, out _);
        var mismatch = query["project"].FirstOrDefault() is { } project && project != plan.SaltEnv.Project
            || query["deployment"].FirstOrDefault() is { } deployment && deployment != plan.SaltEnv.Deployment
                ? $"plan {plan.Id} is a plan of {plan.SaltEnv}, not of {query["project"]}/{query["deployment"]}"
                : null;
        if (mismatch is not null || deploys.Stopping)
        {
            await ApiResults.Error(mismatch is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest, mismatch ?? "the server is shutting down; retry").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (deploy, result) = await deploys.ApplyAsync(token, plan.SaltEnv, plan.Id, force, flags.Highstate, flags.Test, flags.TolerateMissing, context.RequestAborted).ConfigureAwait(false);
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
}
