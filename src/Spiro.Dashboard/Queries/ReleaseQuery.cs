using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Core.Releases.Contents;
using Spiro.Core.Releases.Diff;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Queries;

/// <summary>Reads a release's page: manifest, top file, stored highstate results and the diff.</summary>
internal sealed class ReleaseQuery(ReleaseContents contents, HighstateResultStore results, DashboardOptions options)
{
    public const string TopFile = "top.sls";

    /// <summary>The page's data, or null when the viewer may not see the saltenv or it keeps no such release.</summary>
    public ReleaseView? Find(Viewer viewer, SaltEnvName saltEnv, string releaseId)
    {
        if (!viewer.Sees(saltEnv) || contents.Find(saltEnv, releaseId) is not { } release)
        {
            return null;
        }

        var top = contents.Read(release, TopFile, options.MaxTopFileBytes);
        var topText = top is null ? null : TextContent.Decode(top.Bytes);
        return new ReleaseView(release, contents.Entries(release), topText, top?.Truncated ?? false, results.Query(release.Id, saltEnv), contents.Compare(release, options.Diff));
    }
}
