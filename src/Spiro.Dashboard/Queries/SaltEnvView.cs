using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Dashboard.Queries;

/// <summary>What the saltenv page shows.</summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="Releases">Kept releases, newest first, the live one marked.</param>
/// <param name="History">Pointer changes, newest first.</param>
/// <param name="Deploys">Recent deploys, newest first.</param>
/// <param name="Siblings">The project's other live deployments the viewer may promote into.</param>
internal sealed record SaltEnvView(SaltEnvName SaltEnv, IReadOnlyList<ReleaseInfo> Releases, IReadOnlyList<HistoryEntry> History, IReadOnlyList<DeployRecord> Deploys, IReadOnlyList<string> Siblings);
