using Spiro.Core.Releases;

namespace Spiro.Core.Deploys;

/// <summary>
/// Which release a deploy that was still running when the server stopped had made live: the
/// server can die after the flip and before it wrote the release on the deploy's row. Pure.
/// </summary>
public static class InterruptedDeploy
{
    /// <summary>
    /// The oldest release of the deploy's saltenv published by the deploy's actor since the deploy
    /// began that no other deploy claims, or null. Publishes of one saltenv run one at a time and a
    /// deploy publishes once, so that release is this deploy's. Release ids carry whole seconds.
    /// </summary>
    /// <param name="deploy">A deploy with no release recorded.</param>
    /// <param name="releases">Kept releases of the deploy's saltenv (the store's records, written at the flip or by start-up recovery).</param>
    /// <param name="claimed">Release ids other deploys' rows already name.</param>
    public static string? ReleaseOf(DeployRecord deploy, IEnumerable<ReleaseInfo> releases, IReadOnlySet<string> claimed)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        var since = deploy.Created.AddSeconds(-1);
        return releases
            .Where(r => r.SaltEnv.ToString() == deploy.SaltEnv && r.PublishedBy == deploy.Actor && r.Created >= since && !claimed.Contains(r.Id))
            .OrderBy(r => r.Created)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .FirstOrDefault()?.Id;
    }
}
