namespace Spiro.Core.Releases.Objects;

/// <summary>
/// Release content keyed by the sha256 of its bytes: the seam between the store and where content
/// is kept for more than one data directory. The default is the data directory's own
/// <c>objects/</c> (<see cref="LocalContentStore"/>); a cluster shares an S3-compatible store
/// (docs/cluster.md). An object is written once and never overwritten, so a key always names the
/// same bytes and readers need no locking.
/// </summary>
public interface IContentStore
{
    /// <summary>Where the content lives, for messages (a directory, or an endpoint and bucket; never a secret).</summary>
    string Location { get; }

    /// <summary>Whether the object <paramref name="sha256"/> is stored.</summary>
    Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the bytes of <paramref name="sourceFile"/> as <paramref name="sha256"/> unless that
    /// object exists (a conditional write, so two writers of one content never overwrite each
    /// other); true when this call wrote it. The caller vouches that the hash is the file's.
    /// </summary>
    Task<bool> PutAsync(string sha256, string sourceFile, CancellationToken cancellationToken);

    /// <summary>Writes the object's bytes to the new file <paramref name="destinationFile"/>; false when there is no such object.</summary>
    Task<bool> TryFetchAsync(string sha256, string destinationFile, CancellationToken cancellationToken);
}
