using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>One row of a saltenv's pointer history: <c>spiro history --json</c> and <c>GET /api/v1/saltenvs/{p}/{d}/history</c>.</summary>
/// <param name="At">When (<see cref="WireTime"/>).</param>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="Action"><c>publish</c>, <c>deploy</c>, <c>apply</c>, <c>rollback</c>, <c>promote</c>, <c>delete</c> or <c>recover</c>.</param>
/// <param name="Release">The release made live; null on a delete row.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Detail">One line for a person.</param>
public sealed record HistoryView(
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("release")] string? Release,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("detail")] string Detail);
