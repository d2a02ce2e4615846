using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Core.Views;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Sse;

namespace Spiro.Server.Endpoints;

/// <summary>
/// <c>/api/v1/deploys</c>: raw-body uploads with an SSE stream whose events carry ids, deploy status,
/// and re-attaching to a deploy's events (<c>Last-Event-ID</c> or <c>?after=</c>).
/// </summary>
internal static class DeployApiEndpoints
{
    public const string DeployIdHeader = "X-Spiro-Deploy-Id";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/deploys", (HttpContext context, DeployService deploys, EventStreamer streamer, DeltaPlans plans, ProjectDeployGate gate, DeployUpload upload) =>
                DeployAsync(context, deploys, streamer, upload, plans, gate, candidate: false))
            .Requires("deploy", context => UploadNeed(context, candidate: false));
        api.MapGet("/deploys/{id}", (HttpContext context) => ApiResults.View(ResourceViews.Deploy((DeployRecord)Caller.Of(context).Found!)))
            .Requires("deploy.read", Needs.Deploy);
        api.MapGet("/deploys/{id}/events", EventsAsync).Requires("deploy.read", Needs.Deploy);
        api.MapGet("/saltenvs/{project}/{deployment}/deploys", Recent).Requires("deploys", Needs.SaltEnv(admin: false));
    }

    /// <summary>
    /// An upload's need: a deploy token for the query's saltenv, refused anyway (and audited so) for
    /// a bad name or flag (400), a declared length over the limit (413) or a server shutting down (503).
    /// </summary>
    internal static AccessNeed UploadNeed(HttpContext context, bool candidate)
    {
        var need = Needs.SaltEnvInQuery(context);
        var flags = UploadFlags.Parse(context.Request.Query, candidate, out var flagError);
        if (need.Refusal is not null || flagError is not null)
        {
            return need.Refusal is null ? AccessNeed.Refused(flagError!) : need;
        }

        var services = context.RequestServices;
        if (services.GetRequiredService<DeployUpload>().TooLargeByHeader(context.Request) is { } tooLarge)
        {
            return need with { Refusal = tooLarge, RefusalStatus = StatusCodes.Status413PayloadTooLarge };
        }

        return services.GetRequiredService<DeployService>().Stopping
            ? need with { Refusal = "the server is shutting down; retry", RefusalStatus = StatusCodes.Status503ServiceUnavailable }
            : need with { Found = flags };
    }

    /// <summary>
    /// An upload that passed <see cref="UploadNeed"/>: a deploy, or with <paramref name="candidate"/> a plan (<c>POST /api/v1/plans</c>),
    /// whose release is stored but not live, whose Salt part always runs (the minions both top
    /// files select) and whose <c>test</c> defaults to true (a plan never highstates for real).
    /// </summary>
    internal static async Task DeployAsync(HttpContext context, DeployService deploys, EventStreamer streamer, DeployUpload upload, DeltaPlans plans, ProjectDeployGate gate, bool candidate)
    {
        var caller = Caller.Of(context);
        var (token, saltEnv, flags) = (caller.Token, caller.SaltEnv!, (UploadFlags)caller.Found!);
        var query = context.Request.Query;

        // Held until the publish ends (the highstate runs without it); refused before anything is recorded.
        using var place = await gate.EnterAsync(saltEnv.Project, context.RequestAborted).ConfigureAwait(false);
        if (place is null)
        {
            context.Response.Headers.RetryAfter = gate.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await ApiResults.Error(StatusCodes.Status503ServiceUnavailable, gate.Busy(saltEnv.Project)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // A negotiated upload (?delta=ID from POST /deploys/delta): the body is the tar of the missing files only.
        IReadOnlyList<Spiro.Core.Releases.Deltas.PlannedEntry>? plan = null;
        if (query["delta"].FirstOrDefault() is { } deltaId)
        {
            plan = plans.Take(deltaId, saltEnv, token.Id);
            if (plan is null)
            {
                await ApiResults.Error(StatusCodes.Status410Gone, $"delta plan {deltaId} is unknown, used or expired for {saltEnv}; negotiate again (POST /api/v1/deploys/delta) or upload the whole bundle").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        var aborted = context.RequestAborted;
        var counter = upload.Count(context);
        await DeployUpload.AcceptBodyAsync(context.Request, aborted).ConfigureAwait(false);
        var deploy = deploys.Begin(token, saltEnv, flags.Highstate, flags.Test, flags.TolerateMissing);
        context.Response.Headers[DeployIdHeader] = deploy.Id;

        // Headers go out at once so the client learns the deploy id and sees lock waiting; a
        // refusal after this point is an exception event followed by deploy-finish.
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(aborted).ConfigureAwait(false);
        var publish = deploys.PublishAsync(deploy, saltEnv, counter, counter, aborted, plan, candidate);
        await streamer.StreamAsync(writer, deploy.Id, 0, _ => true, withIds: true, aborted).ConfigureAwait(false);
        await publish.ConfigureAwait(false);
    }

    /// <summary>The saltenv's newest deploys, newest first: what <c>spiro deploys --json</c> prints.</summary>
    private static IResult Recent(int? limit, HttpContext context, DeployLog log) =>
        limit is < 0
            ? ApiResults.Error(StatusCodes.Status400BadRequest, "query parameter limit must not be negative")
            : ApiResults.View(log.Recent(Caller.Of(context).SaltEnv!.ToString(), limit ?? DeployLog.DefaultListLimit).Select(ResourceViews.Deploy).ToArray());

    private static async Task EventsAsync(string id, HttpContext context, EventStreamer streamer)
    {
        var after = LastEventId(context.Request);
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, id, after, _ => true, withIds: true, context.RequestAborted).ConfigureAwait(false);
    }

    internal static long LastEventId(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["after"].FirstOrDefault();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
    }
}
