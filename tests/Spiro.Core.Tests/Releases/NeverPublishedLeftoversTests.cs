using System.Formats.Tar;
using System.Text;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Publishing;

namespace Spiro.Core.Tests.Releases;

/// <summary>A saltenv whose first publish is refused leaves nothing behind: no staging directory, no lock file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NeverPublishedLeftoversTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Publish_RefusedOnANewSaltenv_LeavesNoStagingDirectoryAndNoLockFile()
    {
        var result = await _fixture.Store.PublishAsync(StoreFixture.Env("foo/new"), Tar(("spirotop.sls", "new: [unclosed\n")), new PublishContext("test"), CancellationToken.None);

        Assert.IsType<PublishResult.Rejected>(result);
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "staging", "foo", "new")));
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "staging", "foo")));
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "locks", "foo", "new.lock")));
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "locks", "foo")));
    }

    [Fact]
    public async Task Publish_RefusedOnANewSaltenvNextToAPublishedOne_KeepsTheOthersLockAndStaging()
    {
        var published = await _fixture.Store.PublishAsync(StoreFixture.Env("foo/dev"), Tar(("a.sls", "a: 1\n")), new PublishContext("test"), CancellationToken.None);
        Assert.IsType<PublishResult.Published>(published);

        await _fixture.Store.PublishAsync(StoreFixture.Env("foo/new"), Tar(("spirotop.sls", "new: [unclosed\n")), new PublishContext("test"), CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_fixture.Data, "locks", "foo", "dev.lock")));
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "locks", "foo", "new.lock")));
        Assert.False(Path.Exists(Path.Combine(_fixture.Data, "staging", "foo", "new")));

        // The saltenv can still be published afterwards, and then keeps its lock file.
        var later = await _fixture.Store.PublishAsync(StoreFixture.Env("foo/new"), Tar(("a.sls", "a: 2\n")), new PublishContext("test"), CancellationToken.None);
        Assert.IsType<PublishResult.Published>(later);
        Assert.True(File.Exists(Path.Combine(_fixture.Data, "locks", "foo", "new.lock")));
    }

    private static MemoryStream Tar(params (string Name, string Text)[] files)
    {
        var bundle = new MemoryStream();
        using (var writer = new TarWriter(bundle, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        bundle.Position = 0;
        return bundle;
    }
}

/// <summary>Unlinking a held lock file is safe: whoever waited on the old file takes the one the path names now.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnlinkedLockFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-lock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TakeAsync_AfterTheHolderUnlinkedTheFile_LocksTheNewFileSoASecondTakerStillConflicts()
    {
        var path = Path.Combine(_directory, "sub", "dev.lock");
        var first = Spiro.Core.Releases.Locks.FileLock.TryTake(path, exclusive: true)!;
        var waiting = Spiro.Core.Releases.Locks.FileLock.TakeAsync(path, exclusive: true, TimeSpan.FromSeconds(10), null, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        first.Unlink(path);
        Directory.Delete(Path.GetDirectoryName(path)!);
        first.Dispose();
        using var second = await waiting;

        Assert.NotNull(second);
        Assert.True(File.Exists(path));
        Assert.Null(Spiro.Core.Releases.Locks.FileLock.TryTake(path, exclusive: true));
    }
}
