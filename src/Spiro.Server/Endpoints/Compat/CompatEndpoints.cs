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

namespace Spiro.Server.Endpoints.Compat;

/// <summary>
/// The original protocol (docs/api.md, "Compatible endpoint"), byte for byte: <c>GET /</c> and <c>POST /</c>.
/// Every refusal (401/403/400/413/503, plain text; <see cref="CompatAdmission"/>) is answered before
/// any event; the event stream starts only once the release is live, so lock waiting shows only as
/// a held response (see docs/api.md). The v1 API's access filter is not used here: the original
/// client's order (token before body, scope once the form names the saltenv) is its own.
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

    private static async Task DeployAsync(HttpContext context, RequestAuth auth, DeployService deploys, EventStreamer streamer, DeployUpload upload, ProjectDeployGate gate)
    {
        var aborted = context.RequestAborted;
        var admitted = await CompatAdmission.AdmitAsync(context, auth, deploys, upload).ConfigureAwait(false);
        if (admitted.Refusal is { } refusal)
        {
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var (token, saltEnv, form, counter) = (admitted.Token!, admitted.SaltEnv!, admitted.Form!, admitted.Counter!);
        DeployPublishOutcome outcome;
        DeployRecord deploy;
        using (var place = await gate.EnterAsync(saltEnv.Project, aborted).ConfigureAwait(false))
        {
            if (place is null)
            {
                context.Response.Headers.RetryAfter = gate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await CompatAdmission.Text(StatusCodes.Status503ServiceUnavailable, gate.Busy(saltEnv.Project)).ExecuteAsync(context).ConfigureAwait(false);
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
}
