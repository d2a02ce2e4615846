namespace Spiro.Testing.Salt;

/// <summary>
/// One <see cref="SaltLab"/> shared by a test collection (start-up costs seconds). In the test project:
/// <code>
/// [CollectionDefinition(SaltLabFixture.Collection)]
/// public sealed class RealSaltCollection : ICollectionFixture&lt;SaltLabFixture&gt;;
///
/// [Collection(SaltLabFixture.Collection)]
/// public sealed class MyTests(SaltLabFixture salt) { [SaltFact] public async Task ...() { var lab = salt.Lab; ... } }
/// </code>
/// Tests that stop a minion or change the master's config put it back before they end (see
/// <see cref="SaltLab.StartMinionAsync"/>, <see cref="SaltLab.RemoveMasterConfig"/>).
/// </summary>
public sealed class SaltLabFixture : IAsyncLifetime
{
    /// <summary>The xUnit collection name whose tests share one lab.</summary>
    public const string Collection = "real Salt";

    private SaltLab? _lab;

    /// <summary>The running lab; starting it failed if this throws (the message has the daemons' logs).</summary>
    public SaltLab Lab => _lab ?? throw new InvalidOperationException(_failure ?? "the Salt lab is not started");

    private string? _failure;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (SaltFactAttribute.SkipReason is not null)
        {
            return;
        }

        try
        {
            _lab = await SaltLab.StartAsync();
            Console.WriteLine($"Salt lab ({_lab.Source}) ready in {_lab.StartupTime.TotalSeconds:0.0} s");
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // Every test of the collection then fails with this message instead of an opaque fixture error.
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
    }
}
