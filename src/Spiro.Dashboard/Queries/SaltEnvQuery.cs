using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Queries;

/// <summary>Reads a saltenv's page from the store and the deploy log.</summary>
internal sealed class SaltEnvQuery(ReleaseStore store, DeployLog deploys)
{
    private const int RecentDeploys = 20;

    /// <summary>The page's data, or null when the viewer may not see the saltenv or it has neither releases nor history.</summary>
    public SaltEnvView? Find(Viewer viewer, SaltEnvName saltEnv)
    {
        if (!viewer.Sees(saltEnv))
        {
            return null;
        }

        var releases = store.Releases(saltEnv);
        var history = store.History(saltEnv);
        if (releases.Count == 0 && history.Count == 0)
        {
            return null;
        }

        var siblings = store.Deployments()
            .Where(d => d.SaltEnv.Project == saltEnv.Project && d.SaltEnv != saltEnv && viewer.Sees(d.SaltEnv))
            .Select(d => d.SaltEnv.Deployment)
            .ToList();
        return new SaltEnvView(saltEnv, releases, [.. history.Reverse()], deploys.Recent(saltEnv.ToString(), RecentDeploys), siblings);
    }
}
