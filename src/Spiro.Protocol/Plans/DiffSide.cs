using System.Text.Json.Serialization;

namespace Spiro.Protocol.Plans;

/// <summary>One side of a changed file in a release diff.</summary>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex sha256 of the content.</param>
/// <param name="Mode">Octal file mode as published: <c>0444</c>, or <c>0555</c> when executable.</param>
public sealed record DiffSide(
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("mode")] string Mode);
