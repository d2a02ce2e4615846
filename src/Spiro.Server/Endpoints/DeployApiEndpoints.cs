using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
        api.MapPost("/deploys", (HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload, DeltaPlans plans, ProjectDeployGate gate) =>
            DeployAsync(context, auth, deploys, streamer, upload, plans, gate, candidate: false));
        api.MapGet("/deploys/{id}", (string id, HttpRequest request, RequestAuth auth, DeployLog log) =>
            Authorized(id, request, auth, log, out var deploy) ?? ApiResults.View(ResourceViews.Deploy(deploy!)));
        api.MapGet("/saltenvs/{project}/{deployment}/deploys", Recent);
        api.MapGet("/deploys/{id}/events", EventsAsync);
    }

    /// <summary>
    /// An upload: a deploy, or with <paramref name="candidate"/> a plan (<c>POST /api/v1/plans</c>),
    /// whose release is stored but not live, whose Salt part always runs (the minions both top
    /// files select) and whose <c>test</c> defaults to true (a plan never highstates for real).
    /// </summary>
    internal static async Task DeployAsync(HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload, DeltaPlans plans, ProjectDeployGate gate, bool candidate)
    {
        var query = context.Request.Query;
        var saltEnv = SaltEnvName.TryCreate(query["project"], query["deployment"], out var nameError);
        var highstate = candidate || Flag("highstate", query["highstate"], ref nameError);
        var test = (candidate && string.IsNullOrEmpty(query["test"])) || Flag("test", query["test"], ref nameError);
        var tolerateMissing = Flag("tolerate_missing", query["tolerate_missing"], ref nameError);
        if (nameError is not null)
        {
            saltEnv = null;
        }

        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
        var tooLarge = upload.TooLargeByHeader(context.Request);
        var stopping = deploys.Stopping ? "the server is shutting down; retry" : null;

        // A good token on a request refused anyway is audited as refused, with the reason.
        var token = auth.Check(context.Request, requirement, candidate ? "plan" : "deploy", saltEnv?.ToString() ?? "-", json: true, out var failure, refusal: nameError ?? tooLarge ?? stopping);
        if (token is null || saltEnv is null || tooLarge is not null || stopping is not null)
        {
            var refusal = failure
                ?? (saltEnv is null ? ApiResults.Error(StatusCodes.Status400BadRequest, nameError!)
                    : tooLarge is not null ? ApiResults.Error(StatusCodes.Status413PayloadTooLarge, tooLarge)
                    : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, stopping!));
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

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

        var deploy = deploys.Begin(token, saltEnv, highstate, test, tolerateMissing);
        context.Response.Headers[DeployIdHeader] = deploy.Id;
        var aborted = context.RequestAborted;
        var counter = upload.Count(context);

        // Headers go out at once so the client learns the deploy id and sees lock waiting; a
        // refusal after this point is an exception event followed by deploy-finish.
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(aborted).ConfigureAwait(false);
        var publish = deploys.PublishAsync(deploy, saltEnv, counter, counter, aborted, plan, candidate);
        await streamer.StreamAsync(writer, deploy.Id, 0, _ => true, withIds: true, aborted).ConfigureAwait(false);
        await publish.ConfigureAwait(false);
    }

    /// <summary>The saltenv's newest deploys (default 20), newest first: what <c>spiro deploys --json</c> prints.</summary>
    private static IResult Recent(string project, string deployment, int? limit, HttpRequest request, RequestAuth auth, DeployLog log)
    {
        var saltEnv = SaltEnvName.TryCreate(project, deployment, out var error);
        if (limit is < 0)
        {
            error ??= "query parameter limit must not be negative";
            saltEnv = null;
        }

        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(project, deployment);
        if (auth.Check(request, requirement, "deploys", saltEnv?.ToString() ?? "-", json: true, out var failure, refusal: error) is null)
        {
            return failure!;
        }

        return saltEnv is null
            ? ApiResults.Error(StatusCodes.Status400BadRequest, error!)
            : ApiResults.View(log.Recent(saltEnv.ToString(), limit ?? DeployLog.DefaultListLimit).Select(ResourceViews.Deploy).ToArray());
    }

    private static async Task EventsAsync(string id, HttpContext context, RequestAuth auth, DeployLog log, EventStreamer streamer)
    {
        if (Authorized(id, context.Request, auth, log, out _) is { } refusal)
        {
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var after = LastEventId(context.Request);
        var writer = new SseWriter(context.Response);
        await writer.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, id, after, _ => true, withIds: true, context.RequestAborted).ConfigureAwait(false);
    }

    private static IResult? Authorized(string id, HttpRequest request, RequestAuth auth, DeployLog log, out DeployRecord? deploy)
    {
        deploy = log.Find(id);
        var saltEnv = deploy is null ? null : SaltEnvName.TryParse(deploy.SaltEnv, out _);
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
        if (auth.Check(request, requirement, "deploy.read", deploy?.SaltEnv ?? id, json: true, out var failure) is null)
        {
            return failure;
        }

        return deploy is null ? ApiResults.Error(StatusCodes.Status404NotFound, $"no deploy with id {id}") : null;
    }

    internal static long LastEventId(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["after"].FirstOrDefault();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
    }

    /// <summary>A boolean query flag; absent is false, and a value that is neither yes nor no is an error, not a silent no.</summary>
    internal static bool Flag(string name, string? value, ref string? error)
    {
        if (string.IsNullOrEmpty(value) || value is "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (value is "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        error ??= $"query parameter {name}='{value}' must be true or false";
        return false;
    }
}
