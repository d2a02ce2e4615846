using Spiro.Cluster.Metadata;
using Spiro.Core.Tokens;
using Spiro.Testing.Salt;
using Spiro.Testing.Services;

namespace Spiro.RealSalt.Tests.Cluster;

/// <summary>
/// Two real salt-masters in cluster mode (docs/cluster.md): the two-master lab
/// (<see cref="SaltLabOptions.SecondMaster"/>), each master's engine given a <c>cluster:</c> config on
/// one real PostgreSQL database and one radosgw bucket (<see cref="ClusterServicesFixture"/>).
/// </summary>
public sealed class ClusterLabFixture : IAsyncLifetime
{
    /// <summary>The xUnit collection whose tests share this lab.</summary>
    public const string Collection = "real Salt, two masters in a cluster";

    private readonly ClusterServicesFixture _services = new();
    private readonly string _configs = Directory.CreateTempSubdirectory("spiro-clusterlab-").FullName;
    private SaltLab? _lab;
    private string? _failure;

    /// <summary>Why the tests cannot run here (Salt, PostgreSQL or Ceph missing outside CI), or null.</summary>
    public static string? SkipReason => SaltFactAttribute.SkipReason ?? ClusterFactAttribute.SkipReason;

    /// <summary>The running lab.</summary>
    public SaltLab Lab => _lab ?? throw new InvalidOperationException(_failure ?? "the cluster lab is not started");

    /// <summary>A deploy token for project <c>twin</c>, issued in the cluster's PostgreSQL (tokens are shared by the masters).</summary>
    public string Token { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        await _services.InitializeAsync();
        try
        {
            var database = await _services.Postgres.CreateDatabaseAsync();
            var bucket = "lab-" + Guid.NewGuid().ToString("N")[..16];
            var secret = Path.Combine(_configs, "s3.secret");
            await File.WriteAllTextAsync(secret, CephGateway.SecretKey + "\n");
            var configs = new Dictionary<string, string>();
            foreach (var (daemon, name) in new[] { ("master", "master-a"), (SaltLab.SecondMaster, "master-b") })
            {
                var file = Path.Combine(_configs, name + ".yaml");
                await File.WriteAllTextAsync(file, $"""
                    cluster:
                      database: "{database}"
                      objects:
                        endpoint: {_services.Ceph.Endpoint}
                        bucket: {bucket}
                        access_key: {CephGateway.AccessKey}
                        secret_key_file: {secret}
                      name: {name}
                    """);
                configs[daemon] = file;
            }

            using (var metadata = PostgresMetadataDatabase.OpenDatabase(database))
            {
                Token = new TokenStore(metadata, TimeProvider.System)
                    .Issue(new TokenRequest(new TokenScope(["twin"], ["dev"], false), "saltlab", null, null)).Token;
            }

            _lab = await SaltLab.StartAsync(new SaltLabOptions { SecondMaster = true, ServeConfigs = configs });
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or Npgsql.NpgsqlException)
        {
            _failure = exception.Message;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        await _services.DisposeAsync();
        Directory.Delete(_configs, recursive: true);
    }
}

/// <summary>The cluster lab's collection.</summary>
[CollectionDefinition(ClusterLabFixture.Collection)]
public sealed class ClusterLabTestGroup : ICollectionFixture<ClusterLabFixture>;
