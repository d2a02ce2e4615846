using Spiro.Core.Names;

namespace Spiro.Core.Releases;

/// <summary>
/// The release store (docs/storage.md): atomic publish, history, rollback, promote, retention.
/// Safe to use from several processes at once.
/// </summary>
public sealed class ReleaseStore
{
    private ReleaseStore(StoreOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
    }

    /// <summary>The store's settings.</summary>
    public StoreOptions Options { get; }

    /// <summary>Clock used for release ids and history.</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens the store, creating the layout and cleaning leftovers of interrupted work.</summary>
    public static ReleaseStore Open(StoreOptions options, TimeProvider time) => new(options, time);

    /// <summary>Streams <paramref name="bundle"/> into a new release and makes it live.</summary>
    public Task<PublishResult> PublishAsync(SaltEnvName saltEnv, Stream bundle, PublishContext context, CancellationToken cancellationToken)
    {
        // TODO(#3): replaced by the release store.
        throw new NotImplementedException();
    }
}
