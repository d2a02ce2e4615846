using Microsoft.AspNetCore.Http;
using Npgsql;
using Spiro.Cluster;
using Spiro.Server.Endpoints;

namespace Spiro.Server.Cluster;

/// <summary>
/// In a cluster, a request that needs the shared PostgreSQL while it is down (every token check,
/// deploy and admin change does) is refused with 503 and a message that says so, instead of a bare
/// 500. Salt is unaffected: every master keeps serving its data directory (docs/cluster.md).
/// </summary>
internal static class ClusterOutage
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && Conflict(e) is { } conflict)
        {
            await ApiResults.Error(StatusCodes.Status409Conflict, conflict.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && Describe(e) is { } message)
        {
            await ApiResults.Error(StatusCodes.Status503ServiceUnavailable, message).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static ClusterConflictException? Conflict(Exception e) =>
        e as ClusterConflictException ?? (e.InnerException is { } inner ? Conflict(inner) : null);

    private static string? Describe(Exception e) => e switch
    {
        ClusterUnavailableException unavailable => $"{unavailable.Message}; nothing was changed (every master keeps serving what it has)",
        NpgsqlException npgsql => $"cluster.database: PostgreSQL is unavailable ({npgsql.Message}); deploys and admin changes are refused until it is back, and every master keeps serving what it has",
        _ when e.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
