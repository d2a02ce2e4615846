namespace Spiro.Core.Releases.Contents;

/// <summary>The head of one file of a release.</summary>
/// <param name="Path">Release-relative path.</param>
/// <param name="Size">The file's full size in bytes.</param>
/// <param name="Bytes">At most the requested number of bytes from its start.</param>
public sealed record ReleaseFile(string Path, long Size, byte[] Bytes)
{
    /// <summary>Whether <see cref="Bytes"/> is shorter than the file.</summary>
    public bool Truncated => Bytes.LongLength < Size;
}
