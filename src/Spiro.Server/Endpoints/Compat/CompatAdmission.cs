using Microsoft.AspNetCore.Http;
using Spiro.Core.Names;
using Spiro.Core.Tokens;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;

namespace Spiro.Server.Endpoints.Compat;

/// <summary>
/// Whether the compatible endpoint takes a <c>POST /</c>, in the order the original client relies
/// on: a valid token before a single body byte is read (so an unknown client makes the server
/// buffer nothing), then the declared length, then the form's small fields, whose saltenv the
/// token's scope must cover. Refusals are plain text, each audited once.
/// </summary>
internal static class CompatAdmission
{
    private const string ShuttingDown = "the server is shutting down; retry";

    /// <summary>Either a refusal to send, or everything the deploy needs.</summary>
    internal sealed record Admitted(IResult? Refusal, TokenRecord? Token = null, SaltEnvName? SaltEnv = null, CompatForm? Form = null, CountingStream? Counter = null);

    public static async Task<Admitted> AdmitAsync(HttpContext context, RequestAuth auth, DeployService deploys, DeployUpload upload)
    {
        var request = context.Request;
        if (auth.Identify(request, "deploy", json: false, out var unauthenticated) is null)
        {
            return new Admitted(unauthenticated!);
        }

        if (upload.TooLargeByHeader(request) is { } tooLarge)
        {
            auth.Check(request, TokenRequirement.AnyValid, "deploy", "-", json: false, out var revoked, refusal: tooLarge);
            return new Admitted(revoked ?? Text(StatusCodes.Status413PayloadTooLarge, tooLarge));
        }

        var counter = upload.Count(context);
        var form = await CompatForm.ReadAsync(request.ContentType, counter, upload.Limit, context.RequestAborted).ConfigureAwait(false);
        string? nameError = null;
        var saltEnv = form.Error is null ? SaltEnvName.TryCreate(form.Project, form.Deployment, out nameError) : null;
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : TokenRequirement.Deploy(saltEnv.Project, saltEnv.Deployment);
        var badRequest = saltEnv is null ? form.Error ?? nameError : null;
        var stopping = deploys.Stopping ? ShuttingDown : null;
        var token = auth.Check(request, requirement, "deploy", saltEnv?.ToString() ?? "-", json: false, out var failure, refusal: badRequest ?? stopping);
        if (token is null || saltEnv is null || stopping is not null)
        {
            return new Admitted(failure
                ?? (badRequest is not null ? Text(StatusCodes.Status400BadRequest, badRequest) : Text(StatusCodes.Status503ServiceUnavailable, stopping!)));
        }

        return new Admitted(null, token, saltEnv, form, counter);
    }

    /// <summary>A plain-text refusal, as the original server sent them.</summary>
    public static IResult Text(int status, string message) => Results.Text(message + "\n", "text/plain", statusCode: status);
}
