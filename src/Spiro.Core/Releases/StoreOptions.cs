using Spiro.Core.Bundles;

namespace Spiro.Core.Releases;

/// <summary>Settings of the release store.</summary>
public sealed record StoreOptions
{
    /// <summary>Default data directory on a Salt master.</summary>
    public const string DefaultDataDirectory = "/var/cache/salt/master/spirofs";

    /// <summary>The data directory (layout in docs/storage.md).</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>Releases kept per saltenv besides the live one. Default 10.</summary>
    public int KeepReleases { get; init; } = 10;

    /// <summary>
    /// False (the server): <see cref="KeepReleases"/> is this store's setting and is saved in the
    /// data directory. True (the admin CLI): the saved setting replaces <see cref="KeepReleases"/>,
    /// so a CLI publish or promote keeps as many releases as the server does.
    /// </summary>
    public bool KeepReleasesFromDataDirectory { get; init; }

    /// <summary>Limits for incoming bundles.</summary>
    public BundleLimits BundleLimits { get; init; } = new();

    /// <summary>Salt's <c>state_top</c> file name. Default <c>top.sls</c>.</summary>
    public string StateTop { get; init; } = "top.sls";

    /// <summary>
    /// Where the metadata lives. Default (null): <c>spiro.db</c> in <see cref="DataDirectory"/>,
    /// opened by the store. Given: that database (PostgreSQL for a cluster), owned by the caller.
    /// </summary>
    public Metadata.MetadataDatabase? Metadata { get; init; }

    /// <summary>
    /// Several masters, one set of releases (docs/cluster.md): every pointer change is recorded in
    /// the shared database before this master's symlink moves. Default (null): one master.
    /// </summary>
    public Sharing.IReleaseSharing? Sharing { get; init; }

    /// <summary>How long a plan's candidate can be applied; retention removes it after. Default 24 hours.</summary>
    public TimeSpan PlanLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long to wait for another process's lock on a saltenv. Default 10 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
