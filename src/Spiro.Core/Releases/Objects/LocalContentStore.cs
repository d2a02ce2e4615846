using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Locks;

namespace Spiro.Core.Releases.Objects;

/// <summary>
/// The data directory's own <c>objects/&lt;aa&gt;/&lt;sha256&gt;[.x]</c> (docs/storage.md) as a
/// content store: what a single master keeps, and the source <c>spiro cluster import</c> copies
/// from. An object exists under either exec bit; both hold the same bytes. Writes hold the
/// objects lock shared, as publishes do, so garbage collection never runs while one is half done
/// (an object nothing references yet may be collected once the write is over, as in a publish
/// that failed before its manifest).
/// </summary>
/// <param name="dataDirectory">The data directory.</param>
/// <param name="lockTimeout">How long a write waits for garbage collection to finish. Default 10 minutes (the store's own default).</param>
public sealed class LocalContentStore(string dataDirectory, TimeSpan? lockTimeout = null) : IContentStore
{
    private readonly StoreLayout _layout = new(dataDirectory);
    private readonly TimeSpan _lockTimeout = lockTimeout ?? new StoreOptions().LockTimeout;

    /// <inheritdoc/>
    public string Location => _layout.Objects;

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken) =>
        Task.FromResult(Existing(ContentKey.Check(sha256)) is not null);

    /// <inheritdoc/>
    public async Task<bool> PutAsync(string sha256, string sourceFile, CancellationToken cancellationToken)
    {
        ContentKey.Check(sha256);
        Directory.CreateDirectory(_layout.Locks);
        using var held = await FileLock.TakeAsync(_layout.ObjectsLock, exclusive: false, _lockTimeout, null, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"garbage collection held {_layout.ObjectsLock} for longer than {_lockTimeout}");
        if (Existing(sha256) is not null)
        {
            return false;
        }

        var target = PathFor(sha256, executable: false);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{sha256}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var source = File.OpenRead(sourceFile))
            await using (var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await source.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                copy.Flush(flushToDisk: true);
            }

            DurableFs.SetMode(temporary, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            // link(2) never overwrites: EEXIST means another writer stored this content first.
            // Any other failure (no space, I/O error, no hard links here) is the caller's to see.
            if (Posix.Link(temporary, target) == 0)
            {
                return true;
            }

            return Posix.LastError == Posix.EEXIST ? false : throw Posix.Error("link", target);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TryFetchAsync(string sha256, string destinationFile, CancellationToken cancellationToken)
    {
        if (Existing(ContentKey.Check(sha256)) is not { } source)
        {
            return false;
        }

        await using var input = File.OpenRead(source);
        await using var output = new FileStream(destinationFile, FileMode.CreateNew, FileAccess.Write);
        await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private string? Existing(string sha256) =>
        new[] { PathFor(sha256, false), PathFor(sha256, true) }.FirstOrDefault(File.Exists);

    private string PathFor(string sha256, bool executable) =>
        Path.Combine(_layout.Objects, sha256[..2], sha256 + (executable ? ".x" : ""));
}
