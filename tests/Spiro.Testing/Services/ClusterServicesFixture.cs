namespace Spiro.Testing.Services;

/// <summary>
/// One PostgreSQL and one radosgw for a whole test collection (together they take seconds to
/// start): each test makes its own database (<see cref="PostgresServer.CreateDatabaseAsync"/>) and
/// bucket. A test that stops a service starts it again before it ends. In the test project:
/// <code>
/// [CollectionDefinition(ClusterServicesFixture.Collection)]
/// public sealed class ClusterCollection : ICollectionFixture&lt;ClusterServicesFixture&gt;;
/// </code>
/// </summary>
public sealed class ClusterServicesFixture : IAsyncLifetime
{
    /// <summary>The xUnit collection name whose tests share the services.</summary>
    public const string Collection = "PostgreSQL and radosgw";

    private PostgresServer? _postgres;
    private CephGateway? _ceph;
    private string? _failure;

    /// <summary>The running PostgreSQL; starting it failed if this throws.</summary>
    public PostgresServer Postgres => _failure is null && _postgres is not null ? _postgres : throw new InvalidOperationException(_failure ?? "PostgreSQL is not started");

    /// <summary>The running radosgw; starting it failed if this throws.</summary>
    public CephGateway Ceph => _failure is null && _ceph is not null ? _ceph : throw new InvalidOperationException(_failure ?? "radosgw is not started");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (ClusterFactAttribute.SkipReason is not null)
        {
            return;
        }

        var postgres = PostgresServer.StartAsync();
        var ceph = CephGateway.StartAsync();
        try
        {
            await Task.WhenAll(postgres, ceph);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            _failure = string.Join("\n", new Task[] { postgres, ceph }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message));
        }

        // Whichever started is kept so DisposeAsync stops it.
        _postgres = postgres.IsCompletedSuccessfully ? postgres.Result : null;
        _ceph = ceph.IsCompletedSuccessfully ? ceph.Result : null;
        if (_failure is not null)
        {
            return;
        }

        Console.WriteLine($"radosgw ready in {_ceph!.StartupTime.TotalSeconds:0.0} s");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_ceph is not null)
        {
            await _ceph.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
