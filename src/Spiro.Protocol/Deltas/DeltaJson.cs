using System.Text.Json.Serialization;

namespace Spiro.Protocol.Deltas;

/// <summary>Source-generated JSON for the negotiated upload (Native AOT has no reflection serializer).</summary>
[JsonSerializable(typeof(DeltaPlanRequest))]
[JsonSerializable(typeof(DeltaPlanResponse))]
public sealed partial class DeltaJson : JsonSerializerContext
{
    /// <summary>The feature <c>GET /api/v1/info</c> lists when the server takes negotiated uploads.</summary>
    public const string Feature = "delta";
}
