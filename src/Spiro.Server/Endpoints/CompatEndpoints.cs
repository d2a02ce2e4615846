using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Protocol.Events;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Sse;

namespace Spiro.Server.Endpoints;

/// <summary>
/// The original protocol (DESIGN.md section 6), byte for byte: <c>GET /</c> and <c>POST /</c>.
/// Every refusal (401/403/400/413) is answered before any event; the event stream starts only once
/// the release is live, so lock waiting shows only as a held response (see docs/api.md).
/// </summary>
internal static class CompatEndpoints
{
    private static readonly HashSet<string> CompatibleEvents = new(StringComparer.Ordinal)
    {
        DeployEventNames.DeployBundle, DeployEventNames.HighstateCalc, DeployEventNames.HighstateStart,
        DeployEventNames.HighstateUpdate, DeployEventNames.HighstateFinish, DeployEventNames.Exception,
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpRequest request, RequestAuth auth) =>
            auth.Check(request, TokenRequirement.AnyValid, "auth", "-", json: false, out var failure) is null
                ? failure!
                : Results.Text("Auth OK", "text/plain"));
        app.MapPost("/", DeployAsync);
    }

    private static async Task DeployAsync(HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        if (!RequestAuth.HasWellFormedToken(request) || upload.TooLargeByHeader(request) is not null)
        {
            await RefuseEarlyAsync(context, auth, upload).ConfigureAwait(false);
            return;
        }

        var counter = upload.Count(context);
        var form = await CompatForm.ReadAsync(request.ContentType, counter, upload.Limit, aborted).ConfigureAwait(false);
        string? nameError = null;
        var saltEnv = form.Error is null ? SaltEnvName.TryCreate(form.Project, form.Deployment, out nameError) : null;
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
        var token = auth.Check(request, requirement, "deploy", saltEnv?.ToString() ?? "-", json: false, out var failure);
        if (token is null || saltEnv is null)
        {
            await (failure ?? Text(StatusCodes.Status400BadRequest, form.Error ?? nameError!)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (deploys.Stopping)
        {
            await Text(StatusCodes.Status503ServiceUnavailable, "the server is shutting down; retry").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var deploy = deploys.Begin(token, saltEnv, form.Highstate, test: false);
        var outcome = await deploys.PublishAsync(deploy, saltEnv, form.Bundle!.Body, counter, aborted).ConfigureAwait(false);
        if (outcome is not DeployPublishOutcome.Published)
        {
            await DeployUpload.Refusal(outcome).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var writer = new SseWriter(context.Response);
        await writer.StartAsync(aborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, deploy.Id, 0, CompatibleEvents.Contains, withIds: false, aborted).ConfigureAwait(false);
    }

    private static async Task RefuseEarlyAsync(HttpContext context, RequestAuth auth, DeployUpload upload)
    {
        // Fail closed: a bad credential is answered 401 even when the body is also too large.
        if (auth.Check(context.Request, TokenRequirement.AnyValid, "deploy", "-", json: false, out var failure) is null)
        {
            await failure!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await Text(StatusCodes.Status413PayloadTooLarge, upload.TooLargeByHeader(context.Request)!).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static IResult Text(int status, string message) => Results.Text(message + "\n", "text/plain", statusCode: status);
}
