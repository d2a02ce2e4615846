namespace Spiro.Core.Bundles;

/// <summary>
/// Content the destination already holds (the store's objects), so the reader can link a small
/// file it has hashed in memory instead of writing its bytes again.
/// </summary>
public interface IKnownContent
{
    /// <summary>
    /// Creates <paramref name="destinationPath"/> (absolute, not existing yet) as a read-only file
    /// with content <paramref name="sha256"/> (0555 when <paramref name="executable"/>, else 0444)
    /// without writing its bytes, typically as a hard link. Returns false, creating nothing, when
    /// the content is unknown or cannot be linked; the reader then writes the file itself.
    /// </summary>
    /// <param name="sha256">Lower-case hex sha256 of the content.</param>
    /// <param name="executable">Whether the file keeps the exec bit.</param>
    /// <param name="destinationPath">Absolute path inside staging.</param>
    bool TryLinkExisting(string sha256, bool executable, string destinationPath);
}
