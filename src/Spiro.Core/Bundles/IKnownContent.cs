namespace Spiro.Core.Bundles;

/// <summary>
/// Content the destination already holds (the store's objects), so the reader can link a small
/// file it has hashed in memory instead of writing its bytes again. The reader's writer threads
/// (two for a large bundle, see <see cref="StagingPipeline"/>) call it concurrently.
/// </summary>
internal interface IKnownContent
{
    /// <summary>
    /// Creates <paramref name="destination"/> (not existing yet) as a read-only file with content
    /// <paramref name="sha256"/> (0555 when <paramref name="executable"/>, else 0444) without
    /// writing its bytes, typically as a hard link. Returns false, creating nothing, when the
    /// content is unknown or cannot be linked; the reader then writes the file itself.
    /// </summary>
    /// <param name="sha256">Lower-case hex sha256 of the content.</param>
    /// <param name="executable">Whether the file keeps the exec bit.</param>
    /// <param name="destination">The file to create inside staging.</param>
    bool TryLinkExisting(string sha256, bool executable, StagedFile destination);

    /// <summary>
    /// Whether any content may be known right now. When not (a first publish into an empty store),
    /// the reader does not ask <see cref="TryLinkExisting"/> for each file: every answer would be no.
    /// </summary>
    bool MayHoldAny();

    /// <summary>
    /// Makes the file the reader just wrote at <paramref name="stagedFile"/> (read-only, its final
    /// mode) the content <paramref name="sha256"/> itself, typically by hard-linking it in, so the
    /// publish need not do it once the bundle is read. False when it cannot (that content exists
    /// already, or links are unsupported): the publish then handles the file as any other.
    /// Only called while the caller holds the store's objects for the publish (see docs/storage.md).
    /// </summary>
    /// <param name="sha256">Lower-case hex sha256 of the content.</param>
    /// <param name="executable">Whether the file has the exec bits.</param>
    /// <param name="stagedFile">The file inside staging.</param>
    bool TryAdopt(StagedFile stagedFile, string sha256, bool executable);
}
