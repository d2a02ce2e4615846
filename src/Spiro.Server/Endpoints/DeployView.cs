using Spiro.Core.Deploys;

namespace Spiro.Server.Endpoints;

/// <summary>JSON shape of <c>GET /api/v1/deploys/{id}</c>.</summary>
internal sealed record DeployView(string Id, string Saltenv, string Actor, string Status, string? Release, bool Highstate, bool Test, DateTimeOffset Created, DateTimeOffset? Finished)
{
    public static DeployView From(DeployRecord d) => new(d.Id, d.SaltEnv, d.Actor, d.Status, d.Release, d.Highstate, d.Test, d.Created, d.Finished);
}
