using Spiro.Core.Names;

namespace Spiro.Dashboard.Cluster;

/// <summary>
/// In a cluster (docs/cluster.md), the wait after a rollback, promote or delete until every live
/// master serves it: the one the server's routes and the CLI use, offered to the dashboard's
/// buttons. The server registers it in cluster mode only; without it a change answers at once.
/// </summary>
public interface IMastersWait
{
    /// <summary>
    /// Waits up to <c>cluster.apply_timeout</c> until every live master serves <paramref name="releaseId"/>
    /// in <paramref name="saltEnv"/> (null: serves nothing there, the delete). Never throws for a
    /// master that lags or a database that does not answer: that is the result's <see cref="MastersWaited.Problem"/>.
    /// </summary>
    Task<MastersWaited> WaitForChangeAsync(SaltEnvName saltEnv, string? releaseId, CancellationToken cancellationToken);
}
