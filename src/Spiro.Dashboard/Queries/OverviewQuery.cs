using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Releases.Contents;
using Spiro.Dashboard.Sessions;

namespace Spiro.Dashboard.Queries;

/// <summary>The overview's rows: three reads whatever the number of saltenvs (live releases, newest deploys, newest runs), filtered to the viewer's scope.</summary>
internal sealed class OverviewQuery(ReleaseContents contents, DeployLog deploys, HighstateResultStore results)
{
    /// <param name="viewer">Who looks; saltenvs outside the scope are left out.</param>
    /// <param name="filter">Case-insensitive part of the saltenv name, or null for all.</param>
    public IReadOnlyList<OverviewRow> Rows(Viewer viewer, string? filter)
    {
        var latest = deploys.LatestBySaltEnv();
        var tallies = results.LatestBySaltEnv();
        return [.. contents.LiveReleases()
            .Where(r => viewer.Sees(r.SaltEnv))
            .Where(r => string.IsNullOrEmpty(filter) || r.SaltEnv.ToString().Contains(filter, StringComparison.OrdinalIgnoreCase))
            .Select(r =>
            {
                var name = r.SaltEnv.ToString();
                return new OverviewRow(r, latest.GetValueOrDefault(name), tallies.GetValueOrDefault(name));
            })];
    }
}
