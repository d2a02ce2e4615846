using Spiro.Core.Releases;

namespace Spiro.Server.Endpoints;

/// <summary>JSON shape of a saltenv in <c>GET /api/v1/saltenvs</c>.</summary>
internal sealed record SaltEnvView(string Saltenv, string Project, string Deployment, string LiveRelease, DateTimeOffset? PublishedAt, string? PublishedBy)
{
    public static SaltEnvView From(DeploymentInfo d) => new(d.SaltEnv.ToString(), d.SaltEnv.Project, d.SaltEnv.Deployment, d.LiveRelease, d.PublishedAt, d.PublishedBy);
}
