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
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/saltenvs/{project}/{deployment}/diff", Diff).Requires("diff", Needs.SaltEnv(admin: false));

    private static IResult Diff(string? from, string? to, HttpContext context, ReleaseStore store, ServerOptions options)
    {
        var pair = ReleasePair.Resolve(new ReleaseContents(store), store, Caller.Of(context).SaltEnv!, from, to);
        return pair.Error is { } problem
            ? ApiResults.Error(StatusCodes.Status404NotFound, problem)
            : Results.Json(ReleaseDiffs.Create(new ReleaseContents(store), pair.From, pair.To!, options.Dashboard.Diff), DeployEventJson.Default.ReleaseDiff);
    }
}
