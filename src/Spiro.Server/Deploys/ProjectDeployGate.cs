using System.Collections.Concurrent;
using Spiro.Server.Options;

namespace Spiro.Server.Deploys;

/// <summary>
/// The per-project cap on deploys in flight (upload and publish; <c>max_deploys_per_project</c>):
/// one project's CI, however many uploads it starts, holds at most that many, and a deploy past
/// the cap waits at most <c>deploy_queue_timeout</c> before it is refused with 503 and Retry-After,
/// before anything is read or recorded.
/// </summary>
internal sealed class ProjectDeployGate(ServerOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _projects = new(StringComparer.Ordinal);

    /// <summary>Seconds a refused client is told to wait (the Retry-After header).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(options.DeployQueueTimeout.TotalSeconds));

    /// <summary>A lease on one of the project's deploy places (dispose it when the publish ends), or null when none freed in time.</summary>
    public async Task<IDisposable?> EnterAsync(string project, CancellationToken cancellationToken)
    {
        var places = _projects.GetOrAdd(project, _ => new SemaphoreSlim(options.MaxDeploysPerProject, options.MaxDeploysPerProject));
        return await places.WaitAsync(options.DeployQueueTimeout, cancellationToken).ConfigureAwait(false) ? new Lease(places) : null;
    }

    /// <summary>The 503 message for <paramref name="project"/>.</summary>
    public string Busy(string project) =>
        $"project '{project}' already has {options.MaxDeploysPerProject} deploys in flight (max_deploys_per_project) and none ended within {options.DeployQueueTimeout.TotalSeconds:0.#} s; retry after {RetryAfterSeconds} s";

    public void Dispose()
    {
        foreach (var places in _projects.Values)
        {
            places.Dispose();
        }
    }

    private sealed class Lease(SemaphoreSlim places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}
