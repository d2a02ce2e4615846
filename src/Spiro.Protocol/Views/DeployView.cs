using System.Text.Json.Serialization;

namespace Spiro.Protocol.Views;

/// <summary>One deploy as the server ran it: <c>spiro deploys --json</c> and <c>GET /api/v1/deploys/{id}</c>.</summary>
/// <param name="Id">Deploy id (16 lower-case hex).</param>
/// <param name="SaltEnv">Target saltenv.</param>
/// <param name="Actor">Token id and label.</param>
/// <param name="Status">One of <see cref="Events.DeployStatus"/>.</param>
/// <param name="Release">The release it published, once published.</param>
/// <param name="Highstate">Whether a highstate was requested.</param>
/// <param name="Test">Whether the highstate is a dry run.</param>
/// <param name="Created">Start (<see cref="WireTime"/>).</param>
/// <param name="Finished">End, null while running.</param>
public sealed record DeployView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("release")] string? Release,
    [property: JsonPropertyName("highstate")] bool Highstate,
    [property: JsonPropertyName("test")] bool Test,
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("finished")] string? Finished);
