using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Spiro.Server.Endpoints;

/// <summary>JSON results of the v1 API: snake_case, errors as <c>{"error": "..."}</c>.</summary>
internal static class ApiResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Ok(object value) => Results.Json(value, Json);

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);
}
