using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Objects;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Core.Tests.Releases.Sharing;

/// <summary>
/// A master following a cluster's pointer (docs/cluster.md), with the cluster played by another
/// real data directory: its manifests, and its objects as the shared content store.
/// </summary>
public sealed class ReleaseFollowerTests : IDisposable
{
    private readonly StoreFixture _publisher = new();
    private readonly StoreFixture _follower = new();

    public void Dispose()
    {
        _publisher.Dispose();
        _follower.Dispose();
    }

    [Fact]
    public async Task Follow_WhenThePointerMovesWhileARelease_IsMade_FlipsStraightToTheNewestOne()
    {
        var first = await _publisher.PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 1\n", ["one.txt"] = "one\n" });
        var second = await _publisher.PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["two.txt"] = "two\n" });
        var source = new Cluster(_publisher.Data, new SharedPointer(first.Id, 1));
        // Another master's deploy lands while this one fetches the first release's objects.
        source.OnFetch = () => source.Pointer = new SharedPointer(second.Id, 2);

        var result = await _follower.Store.FollowAsync(StoreFixture.Env("foo/dev"), source, CancellationToken.None);

        var applied = Assert.IsType<FollowResult.Applied>(result);
        Assert.Equal(new SharedPointer(second.Id, 2), applied.Target);
        Assert.EndsWith(second.Id, _follower.LinkTarget("foo/dev"), StringComparison.Ordinal);
        Assert.Equal("v: 2\n", _follower.ReadLive("foo/dev", "init.sls"));
        // It never served the first release: it recorded only the newest pointer.
        Assert.Equal(new[] { new SharedPointer(second.Id, 2) }, source.AppliedTargets);
    }

    [Fact]
    public async Task Follow_OfAReleaseWithAnObjectMissingFromTheCluster_FailsAndLeavesTheLiveReleaseAndNoPartOfTheNewOne()
    {
        var first = await _publisher.PublishAsync("foo/dev", new Dictionary<string, string> { ["init.sls"] = "v: 1\n" });
        var source = new Cluster(_publisher.Data, new SharedPointer(first.Id, 1));
        await _follower.Store.FollowAsync(StoreFixture.Env("foo/dev"), source, CancellationToken.None);
        var files = Enumerable.Range(0, 30).ToDictionary(i => $"f{i}.txt", i => $"content {i}\n");
        var second = await _publisher.PublishAsync("foo/dev", files);
        var lost = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("content 17\n"u8.ToArray()));
        source.Missing.Add(lost);
        source.Pointer = new SharedPointer(second.Id, 2);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _follower.Store.FollowAsync(StoreFixture.Env("foo/dev"), source, CancellationToken.None));

        Assert.Contains($"object {lost} ('f17.txt' of release {second.Id}) is not in", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(first.Id, _follower.LinkTarget("foo/dev"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_follower.Data, "releases", second.Id)));
        Assert.False(File.Exists(Path.Combine(_follower.Data, "manifests", second.Id + ".json")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_follower.Data, "staging", "foo", "dev")));
        Assert.Equal(new[] { new SharedPointer(first.Id, 1) }, source.AppliedTargets);
    }

    /// <summary>The cluster as a follower sees it: a pointer the test moves, the publisher's manifests, its objects as the shared content.</summary>
    private sealed class Cluster(string publisherData, SharedPointer pointer) : IReleaseSource, IContentStore
    {
        private readonly LocalContentStore _objects = new(publisherData);
        private Action? _onFetch;

        public SharedPointer Pointer { get; set; } = pointer;

        public Action? OnFetch
        {
            get => _onFetch;
            set => _onFetch = value;
        }

        public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

        public List<SharedPointer> AppliedTargets { get; } = [];

        public IContentStore Content => this;

        public int FetchParallelism => 4;

        public string Location => "the test cluster";

        public SharedPointer? CurrentPointer(SaltEnvName saltEnv) => Pointer;

        public string? Manifest(string releaseId) => File.ReadAllText(Path.Combine(publisherData, "manifests", releaseId + ".json"));

        public void Applied(SaltEnvName saltEnv, SharedPointer target) => AppliedTargets.Add(target);

        public Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken) => _objects.ContainsAsync(sha256, cancellationToken);

        public Task<bool> PutAsync(string sha256, string sourceFile, CancellationToken cancellationToken) => throw new InvalidOperationException("a follower never writes");

        public Task<bool> TryFetchAsync(string sha256, string destinationFile, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _onFetch, null)?.Invoke();
            return Missing.Contains(sha256) ? Task.FromResult(false) : _objects.TryFetchAsync(sha256, destinationFile, cancellationToken);
        }
    }
}
