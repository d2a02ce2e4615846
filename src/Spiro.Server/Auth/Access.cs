using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Server.Endpoints;

namespace Spiro.Server.Auth;

/// <summary>
/// The v1 API's authentication and scope check as an endpoint filter: every route says which
/// action it audits and how to work out its <see cref="AccessNeed"/>; its handler runs only for an
/// accepted token and reads it with <see cref="Caller.Of"/>. A refused request gets 401/403 (or the
/// need's refusal status) as JSON, and one audit row either way.
/// </summary>
internal static class Access
{
    public static TBuilder Requires<TBuilder>(this TBuilder builder, string action, Func<HttpContext, AccessNeed> need)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (Check(context, action, need(context)) is { } refusal)
            {
                return refusal;
            }

            return await next(invocation).ConfigureAwait(false);
        });

    /// <summary>The response refusing the request, or null with the <see cref="Caller"/> attached.</summary>
    internal static IResult? Check(HttpContext context, string action, AccessNeed need)
    {
        var auth = context.RequestServices.GetRequiredService<RequestAuth>();
        IResult? failure;
        var token = need.All is { } all
            ? auth.CheckAll(context.Request, all, action, need.Target, json: true, out failure)
            : auth.Check(context.Request, need.Requirement, action, need.Target, json: true, out failure, refusal: need.Refusal);
        if (token is null)
        {
            return failure!;
        }

        if (need.Refusal is { } refusal)
        {
            return ApiResults.Error(need.RefusalStatus, refusal);
        }

        if (need.Missing is { } missing)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, missing);
        }

        new Caller(token, need.SaltEnv, need.Found).Attach(context);
        return null;
    }
}
