using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Protocol.Events;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Sse;

namespace Spiro.Server.Endpoints;

/// <summary>
/// The original protocol (docs/api.md, "Compatible endpoint"), byte for byte: <c>GET /</c> and <c>POST /</c>.
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

    private const string ShuttingDown = "the server is shutting down; retry";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpRequest request, RequestAuth auth) =>
            auth.Check(request, TokenRequirement.AnyValid, "auth", "-", json: false, out var failure) is null
                ? failure!
                : Results.Text("Auth OK", "text/plain"));
        app.MapPost("/", DeployAsync);
    }

    private static async Task DeployAsync(HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload, ProjectDeployGate gate)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;

        // The token must be valid before a single body byte is read, so an unknown client can make
        // the server buffer nothing; its scope is checked once the small fields name the saltenv.
        if (auth.Identify(request, "deploy", json: false, out var unauthenticated) is null)
        {
            await unauthenticated!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (upload.TooLargeByHeader(request) is { } tooLarge)
        {
            auth.Check(request, TokenRequirement.AnyValid, "deploy", "-", json: false, out var revoked, refusal: tooLarge);
            await (revoked ?? Text(StatusCodes.Status413PayloadTooLarge, tooLarge)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var counter = upload.Count(context);
        var form = await CompatForm.ReadAsync(request.ContentType, counter, upload.Limit, aborted).ConfigureAwait(false);
        string? nameError = null;
        var saltEnv = form.Error is null ? SaltEnvName.TryCreate(form.Project, form.Deployment, out nameError) : null;
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
        var badRequest = saltEnv is null ? form.Error ?? nameError : null;
        var stopping = deploys.Stopping ? ShuttingDown : null;
        var token = auth.Check(request, requirement, "deploy", saltEnv?.ToString() ?? "-", json: false, out var failure, refusal: badRequest ?? stopping);
        if (token is null || saltEnv is null || stopping is not null)
        {
            var refusal = failure
                ?? (badRequest is not null ? Text(StatusCodes.Status400BadRequest, badRequest) : Text(StatusCodes.Status503ServiceUnavailable, stopping!));
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        DeployPublishOutcome outcome;
        DeployRecord deploy;
        using (var place = await gate.EnterAsync(saltEnv.Project, aborted).ConfigureAwait(false))
        {
            if (place is null)
            {
                context.Response.Headers.RetryAfter = gate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Text(StatusCodes.Status503ServiceUnavailable, gate.Busy(saltEnv.Project)).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            deploy = deploys.Begin(token, saltEnv, form.Highstate, test: false);
            outcome = await deploys.PublishAsync(deploy, saltEnv, new BundlePartStream(form.Bundle!.Body), counter, aborted).ConfigureAwait(false);
        }

        if (outcome is not DeployPublishOutcome.Published)
        {
            await DeployUpload.Refusal(outcome).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var writer = new SseWriter(context.Response);
        await writer.StartAsync(aborted).ConfigureAwait(false);
        await streamer.StreamAsync(writer, deploy.Id, 0, CompatibleEvents.Contains, withIds: false, aborted).ConfigureAwait(false);
    }

    private static IResult Text(int status, string message) => Results.Text(message + "\n", "text/plain", statusCode: status);
}
