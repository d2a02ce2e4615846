using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>Every refusal of the v1 API: <c>{"error": "..."}</c>.</summary>
/// <param name="Error">What was wrong, for a person.</param>
public sealed record ApiError([property: JsonPropertyName("error")] string Error);
