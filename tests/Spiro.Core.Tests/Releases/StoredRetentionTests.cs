using Spiro.Core.Releases;

namespace Spiro.Core.Tests.Releases;

/// <summary>The server's keep_releases is saved in the data directory, so the admin CLI's publishes keep as many.</summary>
public sealed class StoredRetentionTests : IDisposable
{
    private readonly StoreFixture _fixture = new(keepReleases: 1);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Open_ForTheCli_UsesTheKeepReleasesTheServerSaved()
    {
        // As the admin CLI opens it: its own default (10), but follow what the server saved.
        _fixture.Reopen(_fixture.Options with { KeepReleases = 10, KeepReleasesFromDataDirectory = true });
        for (var i = 0; i < 4; i++)
        {
            await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        // keep_releases = 1: only the newest (live) release stays, not the CLI default of 10.
        Assert.Single(_fixture.Store.Releases(StoreFixture.Env("foo/dev")));
        Assert.Equal(1, _fixture.Store.Options.KeepReleases);
    }

    [Fact]
    public async Task Open_ForTheServer_SavesItsOwnKeepReleases()
    {
        _fixture.Reopen(_fixture.Options with { KeepReleases = 3 });
        _fixture.Reopen(_fixture.Options with { KeepReleases = 10, KeepReleasesFromDataDirectory = true });
        for (var i = 0; i < 6; i++)
        {
            await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        Assert.Equal(3, _fixture.Store.Releases(StoreFixture.Env("foo/dev")).Count);
    }
}
