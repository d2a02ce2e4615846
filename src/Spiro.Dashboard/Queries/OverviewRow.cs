using Spiro.Core.Deploys;
using Spiro.Core.Highstate;
using Spiro.Core.Releases;

namespace Spiro.Dashboard.Queries;

/// <summary>One saltenv on the overview: its live release, its newest deploy and that saltenv's newest highstate run in counts.</summary>
internal sealed record OverviewRow(ReleaseInfo Live, DeployRecord? LastDeploy, MinionTally? Minions);
