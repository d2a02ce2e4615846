using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Spiro.Core.Tokens;
using Spiro.Core.Views;
using Spiro.Server.Auth;

namespace Spiro.Server.Endpoints;

/// <summary><c>GET /api/v1/tokens</c>: every token without its secret, for a root token only (what <c>spiro token list --json</c> prints).</summary>
internal static class TokenApiEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/tokens", (TokenStore tokens, TimeProvider time) =>
                ApiResults.View(tokens.List().Select(t => ResourceViews.Token(t, time.GetUtcNow())).ToArray()))
            .Requires("tokens", Needs.Root);
}
