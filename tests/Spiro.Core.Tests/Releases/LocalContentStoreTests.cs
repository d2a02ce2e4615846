using System.Security.Cryptography;
using System.Text;
using Spiro.Core.Releases.Objects;

namespace Spiro.Core.Tests.Releases;

/// <summary>The data directory's objects/ behind the content seam: written once, never overwritten, readable by key.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalContentStoreTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private LocalContentStore Content => new(_fixture.Data);

    private string Source(string text)
    {
        var path = Path.Combine(_fixture.Root, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return path;
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Put_NewContent_IsStoredReadOnlyUnderItsHashAndFetchable()
    {
        var sha = Sha("hello");

        Assert.True(await Content.PutAsync(sha, Source("hello"), CancellationToken.None));

        var stored = Path.Combine(_fixture.Data, "objects", sha[..2], sha);
        Assert.Equal("hello", File.ReadAllText(stored));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(stored));
        var fetched = Path.Combine(_fixture.Root, "fetched");
        Assert.True(await Content.TryFetchAsync(sha, fetched, CancellationToken.None));
        Assert.Equal("hello", File.ReadAllText(fetched));
    }

    [Fact]
    public async Task Put_ExistingKey_ReturnsFalseAndKeepsTheFirstBytes()
    {
        var sha = Sha("first");
        Assert.True(await Content.PutAsync(sha, Source("first"), CancellationToken.None));

        Assert.False(await Content.PutAsync(sha, Source("an impostor"), CancellationToken.None));

        Assert.Equal("first", File.ReadAllText(Path.Combine(_fixture.Data, "objects", sha[..2], sha)));
        Assert.Empty(Directory.GetFiles(Path.Combine(_fixture.Data, "objects", sha[..2]), ".*"));
    }

    [Fact]
    public async Task Contains_SeesObjectsAPublishAdopted_IncludingExecutableOnes()
    {
        await _fixture.PublishAsync("foo/dev", new Dictionary<string, string> { ["a.sls"] = "a: 1\n", ["run.sh*"] = "#!/bin/sh\n" });

        Assert.True(await Content.ContainsAsync(Sha("a: 1\n"), CancellationToken.None));
        Assert.True(await Content.ContainsAsync(Sha("#!/bin/sh\n"), CancellationToken.None));
        Assert.False(await Content.ContainsAsync(Sha("never published"), CancellationToken.None));
    }

    [Fact]
    public async Task Fetch_MissingObject_ReturnsFalseAndWritesNothing()
    {
        var destination = Path.Combine(_fixture.Root, "absent");

        Assert.False(await Content.TryFetchAsync(Sha("nothing"), destination, CancellationToken.None));

        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task Put_WhileGarbageCollectionHoldsTheObjectsLock_WaitsForIt()
    {
        var sha = Sha("waits");
        var layout = new Spiro.Core.Releases.Layout.StoreLayout(_fixture.Data);
        Directory.CreateDirectory(layout.Locks);
        var collector = Spiro.Core.Releases.Locks.FileLock.TryTake(layout.ObjectsLock, exclusive: true);
        Assert.NotNull(collector);

        // A short wait gives up, naming the lock, and stores nothing.
        var hurried = new LocalContentStore(_fixture.Data, TimeSpan.FromMilliseconds(200));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => hurried.PutAsync(sha, Source("waits"), CancellationToken.None));
        Assert.Contains(".objects.lock", timeout.Message, StringComparison.Ordinal);
        Assert.False(await Content.ContainsAsync(sha, CancellationToken.None));

        // A patient one writes only once the collector lets go.
        var put = Content.PutAsync(sha, Source("waits"), CancellationToken.None);
        await Task.Delay(500);
        Assert.False(put.IsCompleted);
        Assert.False(await Content.ContainsAsync(sha, CancellationToken.None));
        collector.Dispose();
        Assert.True(await put.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(await Content.ContainsAsync(sha, CancellationToken.None));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public async Task AnyCall_WithAKeyThatIsNotASha256_IsRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Content.ContainsAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Content.PutAsync(key, Source("x"), CancellationToken.None));
    }
}
