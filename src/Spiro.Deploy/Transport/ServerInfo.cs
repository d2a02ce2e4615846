namespace Spiro.Deploy.Transport;

/// <summary>What <c>GET /api/v1/info</c> said; <see cref="HasV1"/> false for a server with only the compatible endpoint.</summary>
internal sealed record ServerInfo(bool HasV1, string? Version, IReadOnlySet<string> Features)
{
    public static readonly ServerInfo CompatibleOnly = new(false, null, new HashSet<string>());

    public bool Gzip => Features.Contains("gzip");

    /// <summary>The server takes negotiated uploads (only the files it lacks).</summary>
    public bool Delta => Features.Contains(Protocol.Deltas.DeltaJson.Feature);
}
