using System.Text.Json.Serialization;

namespace Spiro.Protocol.Deltas;

/// <summary>Body of <c>POST /api/v1/deploys/delta?project=P&amp;deployment=D</c>: every entry of the bundle.</summary>
public sealed record DeltaPlanRequest([property: JsonPropertyName("entries")] IReadOnlyList<DeltaEntry> Entries);
