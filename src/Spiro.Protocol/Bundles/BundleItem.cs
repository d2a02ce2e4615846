namespace Spiro.Protocol.Bundles;

/// <summary>
/// One entry of a bundle, in tar order, before it is written: a path on disk (file, directory or
/// symlink as lstat sees it; <see cref="FullPath"/>) or content held in memory (<c>.gitcommit</c>).
/// </summary>
/// <param name="EntryName">The tar entry name (a directory's ends in '/').</param>
/// <param name="FullPath">The file, directory or symlink on disk; null for in-memory content.</param>
/// <param name="Content">In-memory file content; null for a path on disk.</param>
/// <param name="Mode">Permission bits of in-memory content (a path's come from lstat).</param>
public sealed record BundleItem(string EntryName, string? FullPath, byte[]? Content, UnixFileMode Mode);
