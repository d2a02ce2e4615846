namespace Spiro.Core.Bundles;

/// <summary>
/// One path of a bundle or release, recorded while the bundle streams in so nobody walks or
/// hashes the tree later. <see cref="Path"/> is relative, '/'-separated, normalised.
/// </summary>
/// <param name="Path">Relative path inside the bundle, no leading or trailing slash.</param>
/// <param name="Kind">File, directory or empty directory.</param>
/// <param name="Size">Bytes for files; 0 for directories.</param>
/// <param name="Executable">Whether the file keeps the exec bit (published as 0555, else 0444).</param>
/// <param name="Sha256">Lower-case hex sha256 of a file's content; null for directories.</param>
public sealed record ManifestEntry(string Path, EntryKind Kind, long Size, bool Executable, string? Sha256);
