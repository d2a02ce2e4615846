using System.Text.Json.Serialization;

namespace Spiro.Protocol.Plans;

/// <summary>One file that differs between two releases.</summary>
/// <param name="Path">Release-relative path.</param>
/// <param name="Change"><c>added</c>, <c>removed</c> or <c>changed</c>.</param>
/// <param name="Before">The older side; null when added.</param>
/// <param name="After">The newer side; null when removed.</param>
/// <param name="Unified">Unified diff of a changed text file within the limits; else null.</param>
/// <param name="Omitted">Why there is no unified diff (binary content, too large, too many files), or null.</param>
public sealed record DiffFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("before")] DiffSide? Before,
    [property: JsonPropertyName("after")] DiffSide? After,
    [property: JsonPropertyName("unified")] string? Unified,
    [property: JsonPropertyName("omitted")] string? Omitted);
