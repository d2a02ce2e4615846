namespace Spiro.Protocol.Bundles;

/// <summary>
/// Content hashes remembered between runs (spiro-deploy's hash cache), so an unchanged file of
/// the plan is not read again. Keyed by path and <see cref="FileStamp"/>: any change to the file
/// changes its stamp, and a stale entry is never answered.
/// </summary>
public interface IFileHashes
{
    /// <summary>The sha256 (lower-case hex) recorded for <paramref name="fullPath"/> with exactly this stamp.</summary>
    bool TryGet(string fullPath, FileStamp stamp, out string sha256);

    /// <summary>Records what hashing <paramref name="fullPath"/> (stamped <paramref name="stamp"/> before and after) gave.</summary>
    void Add(string fullPath, FileStamp stamp, string sha256);
}
