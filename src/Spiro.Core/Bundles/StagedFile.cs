namespace Spiro.Core.Bundles;

/// <summary>
/// A file in staging named the cheap way for the *at system calls: the staging directory's handle
/// and the normalised path below it, so the kernel walks only the bundle's own path components
/// and no absolute path string is built per file.
/// </summary>
/// <param name="DirectoryFd">An O_PATH handle of the staging directory, open for the whole extraction.</param>
/// <param name="Directory">The staging directory's absolute path (for messages and tests).</param>
/// <param name="RelativePath">The file's normalised path inside staging.</param>
internal readonly record struct StagedFile(int DirectoryFd, string Directory, string RelativePath)
{
    public string FullPath => string.Concat(Directory, "/", RelativePath);
}
