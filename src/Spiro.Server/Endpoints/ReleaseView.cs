using Spiro.Core.Releases;

namespace Spiro.Server.Endpoints;

/// <summary>JSON shape of a release in the v1 API.</summary>
internal sealed record ReleaseView(string Id, string Saltenv, DateTimeOffset Created, long Size, int FileCount, string? SourceCommit, string PublishedBy, string How, bool Live)
{
    public static ReleaseView From(ReleaseInfo r) => new(r.Id, r.SaltEnv.ToString(), r.Created, r.Size, r.FileCount, r.SourceCommit, r.PublishedBy, r.How, r.Live);
}
