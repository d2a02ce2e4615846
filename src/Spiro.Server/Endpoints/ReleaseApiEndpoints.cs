using Microsoft.AspNetCore.Routing;

namespace Spiro.Server.Endpoints;

/// <summary>Projects, saltenvs and releases; rollback, promote and delete (admin scope).</summary>
internal static class ReleaseApiEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // TODO(#4): filled in once the release store's listing and rollback methods land.
        _ = api;
    }
}
