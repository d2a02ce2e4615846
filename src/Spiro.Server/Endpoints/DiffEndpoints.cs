using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Releases.Diff;
using Spiro.Core.Tokens;
using Spiro.Protocol.Events;
using Spiro.Server.Auth;
using Spiro.Server.Options;

namespace Spiro.Server.Endpoints;

/// <summary><c>GET /api/v1/saltenvs/{project}/{deployment}/diff?from=&amp;to=</c>: the diff of two releases (docs/api.md "Release diff").</summary>
internal static class DiffEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/saltenvs/{project}/{deployment}/diff", Diff);

    private static IResult Diff(string project, string deployment, string? from, string? to, HttpRequest request, RequestAuth auth, ReleaseStore store, ServerOptions options)
    {
        var saltEnv = SaltEnvName.TryCreate(project, deployment, out var error);
        var requirement = saltEnv is null ? TokenRequirement.AnyValid : new TokenRequirement(project, deployment, false);
        if (auth.Check(request, requirement, "diff", saltEnv?.ToString() ?? "-", json: true, out var failure, refusal: error) is null)
        {
            return failure!;
        }

        if (saltEnv is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, error!);
        }

        var pair = ReleasePair.Resolve(new ReleaseContents(store), store, saltEnv, from, to);
        return pair.Error is { } problem
            ? ApiResults.Error(StatusCodes.Status404NotFound, problem)
            : Results.Json(ReleaseDiffs.Create(new ReleaseContents(store), pair.From, pair.To!, options.Dashboard.Diff), DeployEventJson.Default.ReleaseDiff);
    }
}
