using Microsoft.Extensions.DependencyInjection;
using Spiro.Cluster;
using Spiro.Cluster.Sharing;
using Spiro.Server.Cluster;
using Spiro.Core.Deploys;
using Microsoft.Extensions.Logging;
using Spiro.Core.Highstate;
using Spiro.Core.Metadata;
using Spiro.Core.Releases;
using Spiro.Core.Tokens;
using Spiro.Server.Auth;
using Spiro.Server.Deploys;
using Spiro.Server.Metrics;
using Spiro.Server.Options;
using Spiro.Server.Sse;

namespace Spiro.Server;

/// <summary>The server's object graph; singletons because every one of them is stateless or thread-safe.</summary>
internal static class ServerServices
{
    public static IServiceCollection AddSpiroServices(this IServiceCollection services, ServerOptions options, Func<MetadataDatabase, ILoggerFactory, IHighstateService> highstate, TimeProvider time)
    {
        Directory.CreateDirectory(options.Data);
        var cluster = OpenCluster(options);
        var sharing = cluster is null ? null : new ClusterReleases(cluster.Metadata, cluster.Content, cluster.Options.Name);
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = options.Data, KeepReleases = options.KeepReleases, BundleLimits = options.BundleLimits, PlanLifetime = options.PlanLifetime, Metadata = cluster?.Metadata, Sharing = sharing }, time);
        if (cluster is not null)
        {
            // Cluster mode (docs/cluster.md): follow the others (catching up before serving), and wait for them in deploys.
            services.AddSingleton(cluster);
            services.AddSingleton(sharing!);
            services.AddSingleton(new ClusterState(cluster.Metadata));
            services.AddSingleton(new MasterRegistry(cluster.Metadata));
            services.AddSingleton<ClusterFollowService>();
            services.AddHostedService(provider => provider.GetRequiredService<ClusterFollowService>());
            services.AddSingleton<ClusterConvergence>();
            services.AddSingleton<Spiro.Dashboard.Cluster.IMastersWait>(provider => provider.GetRequiredService<ClusterConvergence>());
        }

        ApplyProjectSettings(store, options);
        _ = store.SpaceReserve.Ensure();
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(store.Database);
        services.AddSingleton(store.Audit);
        services.AddSingleton(store.SpaceReserve);
        services.AddSingleton(store);
        services.AddSingleton(provider => highstate(store.Database, provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(new HighstateResultStore(store.Database));
        services.AddSingleton<TokenStore>();
        services.AddSingleton<UnauthenticatedLog>();
        services.AddSingleton<TokenService>(provider => new TokenService(
            provider.GetRequiredService<TokenStore>(), store.Audit, time, provider.GetRequiredService<UnauthenticatedLog>()));
        services.AddSingleton<DeployLog>();
        services.AddSingleton<DeployNotifier>();
        services.AddSingleton<DeployRecorder>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<HighstateRunner>();
        services.AddSingleton<PlanReporter>();
        services.AddSingleton<ProjectDeployGate>();
        services.AddSingleton<ClientText>();
        services.AddSingleton<DeployService>();
        services.AddHostedService(provider => provider.GetRequiredService<DeployService>());
        services.AddHostedService<ExpiredPlanSweeper>();
        services.AddSingleton<DeployEventFollower>();
        services.AddSingleton<EventStreamer>();
        services.AddSingleton<DeployUpload>();
        services.AddSingleton<DeltaPlans>();
        services.AddSingleton<RequestAuth>();
        return services;
    }

    /// <summary>The shared PostgreSQL and bucket of the <c>cluster:</c> section, checked before anything is served; null without one.</summary>
    private static ClusterStorage? OpenCluster(ServerOptions options)
    {
        if (options.Cluster is not { } settings)
        {
            return null;
        }

        try
        {
            return ClusterStorage.OpenAsync(settings, options.Data, register: true, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (ClusterUnavailableException exception)
        {
            throw new ServerStartupException(exception.Message, exception);
        }
    }

    // The config file's 'projects:' are written into the data directory, where the admin CLI and the
    // Salt adapter read them; a project the file names gets its setting back at every start.
    private static void ApplyProjectSettings(ReleaseStore store, ServerOptions options)
    {
        foreach (var (project, allowTargets) in options.ProjectAllowTargets)
        {
            // Validated with the rest of the config (ServerOptions.Validate), so a refusal here is a bug.
            if (store.Projects.AllowTargets(project) != allowTargets && store.Projects.SetAllowTargets(project, allowTargets, "config") is { } refusal)
            {
                throw new InvalidOperationException($"projects.{project}.allow_targets: {refusal}");
            }
        }
    }
}
