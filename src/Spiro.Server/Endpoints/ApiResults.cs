using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Spiro.Protocol.Views;

namespace Spiro.Server.Endpoints;

/// <summary>JSON results of the v1 API: the views of Spiro.Protocol.Views, errors as <c>{"error": "..."}</c>.</summary>
internal static class ApiResults
{
    /// <summary>A resource view (Spiro.Protocol.Views), serialised exactly as the CLI's <c>--json</c> does.</summary>
    public static JsonHttpResult<T> View<T>(T view) => TypedResults.Json(view, ViewJson.Compact);

    public static JsonHttpResult<ApiError> Error(int status, string message) => TypedResults.Json(new ApiError(message), ViewJson.Compact, statusCode: status);
}
