using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Objects;

/// <summary>
/// Content-addressed files: <c>objects/&lt;aa&gt;/&lt;sha256&gt;[.x]</c>, one inode per distinct
/// content and exec bit, hardlinked into every release tree that holds that content.
/// Callers hold the objects lock (shared) while a file may be referenced by no manifest yet.
/// </summary>
internal sealed class ObjectStore(StoreLayout layout)
{
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);

    public string PathFor(string sha256, bool executable) =>
        Path.Combine(layout.Objects, sha256[..2], sha256 + (executable ? ".x" : ""));

    /// <summary>
    /// Makes the staged file at <paramref name="stagedFile"/> share the object's inode: a new
    /// content is linked in as the object; an existing object replaces the staged copy.
    /// </summary>
    public AdoptOutcome Adopt(string stagedFile, string sha256, bool executable)
    {
        var objectPath = PathFor(sha256, executable);
        EnsureDirectory(Path.GetDirectoryName(objectPath)!);
        DurableFs.SetMode(stagedFile, executable ? DurableFs.ExecutableFile : DurableFs.ReadOnlyFile);
        if (Posix.Link(stagedFile, objectPath) == 0)
        {
            return AdoptOutcome.Added;
        }

        if (Posix.LastError != Posix.EEXIST)
        {
            // Hard links unsupported here (or a link limit): the release keeps its own copy.
            return AdoptOutcome.Copied;
        }

        File.Delete(stagedFile);
        return LinkOrCopy(objectPath, stagedFile) ? AdoptOutcome.Reused : AdoptOutcome.Copied;
    }

    /// <summary>Hard-links <paramref name="source"/> at <paramref name="destination"/>, copying when the link fails.</summary>
    public static bool LinkOrCopy(string source, string destination)
    {
        if (Posix.Link(source, destination) == 0)
        {
            return true;
        }

        File.Copy(source, destination);
        DurableFs.SetMode(destination, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(source));
        return false;
    }

    private void EnsureDirectory(string directory)
    {
        lock (_knownDirectories)
        {
            if (_knownDirectories.Add(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
    }
}
