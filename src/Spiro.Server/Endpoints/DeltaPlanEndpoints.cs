using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Deltas;
using Spiro.Core.Tokens;
using Spiro.Protocol.Deltas;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Metrics;

namespace Spiro.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/deploys/delta</c>: first step of the negotiated upload (docs/api.md): the
/// client lists the bundle's entries, the server keeps this delta plan and answers which files'
/// contents the project lacks. The upload itself is <c>POST /api/v1/deploys?delta=ID</c> (or
/// <c>/api/v1/plans?delta=ID</c>). Not to be confused with a plan (<see cref="PlanEndpoints"/>).
/// </summary>
internal static class DeltaPlanEndpoints
{
    /// <summary>Largest plan body, after gzip: a 200,000-entry plan is about 40 MB of JSON.</summary>
    public const long MaxPlanBytes = 64L << 20;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/deploys/delta", PlanAsync).Requires("deploy.delta", Needs.SaltEnvInQuery);

    private static async Task<IResult> PlanAsync(HttpContext context, ReleaseStore store, DeltaPlans plans, ServerMetrics metrics)
    {
        var caller = Caller.Of(context);
        var (token, saltEnv) = (caller.Token, caller.SaltEnv!);

        var (request, error) = await ReadAsync(context, metrics).ConfigureAwait(false);
        if (request is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, error!);
        }

        var (entries, mapError) = Map(request.Entries);
        var problem = mapError ?? DeltaPlanRules.Check(entries!, store.Options.BundleLimits);
        if (problem is not null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "bad plan: " + problem);
        }


        var missing = store.MissingContent(saltEnv.Project, entries!);
        var missingBytes = missing.Sum(i => entries![i].Size);
        var total = entries!.Where(e => e.Kind == PlannedKind.File).Sum(e => e.Size);
        var id = plans.Add(saltEnv, token.Id, entries!);
        return Results.Json(new DeltaPlanResponse(id, missing, missingBytes, total - missingBytes), DeltaJson.Default.DeltaPlanResponse);
    }

    /// <summary>The JSON body (gzip when Content-Encoding says so), at most <see cref="MaxPlanBytes"/> either way.</summary>
    private static async Task<(DeltaPlanRequest? Request, string? Error)> ReadAsync(HttpContext context, ServerMetrics metrics)
    {
        if (context.Request.ContentLength > MaxPlanBytes)
        {
            return (null, $"plan body of {context.Request.ContentLength} bytes exceeds {MaxPlanBytes}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxPlanBytes;
        }

        var gzip = string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
        await using var received = new CountingStream(context.Request.Body, MaxPlanBytes, metrics.BytesReceived);
        await using Stream body = gzip ? new GZipStream(received, CompressionMode.Decompress, leaveOpen: true) : received;
        await using var limited = new CountingStream(body, MaxPlanBytes, _ => { });
        try
        {
            var request = await JsonSerializer.DeserializeAsync(limited, DeltaJson.Default.DeltaPlanRequest, context.RequestAborted).ConfigureAwait(false);
            return request?.Entries is null ? (null, "the plan needs \"entries\"") : (request, null);
        }
        catch (BodyTooLargeException)
        {
            return (null, $"plan exceeds {MaxPlanBytes} bytes");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BadHttpRequestException)
        {
            return (null, $"plan is not valid JSON: {e.Message}");
        }
    }

    private static (List<PlannedEntry>? Entries, string? Error) Map(IReadOnlyList<DeltaEntry> entries)
    {
        var mapped = new List<PlannedEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            PlannedKind? kind = entry?.Type switch
            {
                DeltaEntryTypes.File => PlannedKind.File,
                DeltaEntryTypes.Directory => PlannedKind.Directory,
                DeltaEntryTypes.Symlink => PlannedKind.Symlink,
                DeltaEntryTypes.Hardlink => PlannedKind.Hardlink,
                _ => null,
            };
            if (entry is null || kind is null || entry.Path is null)
            {
                return (null, $"plan entry {i}: needs a path and a type of {DeltaEntryTypes.File}, {DeltaEntryTypes.Directory}, {DeltaEntryTypes.Symlink} or {DeltaEntryTypes.Hardlink}");
            }

            mapped.Add(new PlannedEntry(entry.Path, kind.Value, entry.Mode, entry.Size, entry.Sha256, entry.Link));
        }

        return (mapped, null);
    }
}
