using Spiro.Cluster.Objects;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cluster.Sharing;

/// <summary>
/// The bucket as a following master reads it: a fetch that finds a key missing also strikes it
/// from <c>cluster_objects</c> (<see cref="RecordedObjects"/>), so the next deploy of that content
/// uploads it again instead of trusting a row about an object that is gone (docs/cluster.md).
/// </summary>
internal sealed class FollowedContent(S3ContentStore content, RecordedObjects recorded) : IContentStore
{
    /// <inheritdoc/>
    public string Location => content.Location;

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken) => content.ContainsAsync(sha256, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> PutAsync(string sha256, string sourceFile, CancellationToken cancellationToken) => content.PutAsync(sha256, sourceFile, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> TryFetchAsync(string sha256, string destinationFile, CancellationToken cancellationToken)
    {
        if (await content.TryFetchAsync(sha256, destinationFile, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        await recorded.ForgetAsync([sha256], cancellationToken).ConfigureAwait(false);
        return false;
    }
}
