using Spiro.Core.Bundles;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Releases.Objects;

/// <summary>
/// Content-addressed files: <c>objects/&lt;aa&gt;/&lt;sha256&gt;[.x]</c>, one inode per distinct
/// content and exec bit, hardlinked into every release tree that holds that content.
/// Callers hold the objects lock (shared) while a file may be referenced by no manifest yet.
/// As <see cref="IKnownContent"/> it lets the bundle reader link existing objects into staging.
/// </summary>
internal sealed class ObjectStore(StoreLayout layout) : IKnownContent
{
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private long _linkedExisting;
    private long _unknownContent;
    private long _adoptedByReader;

    /// <summary>Files the bundle reader linked from objects instead of writing (since the store opened).</summary>
    public long LinkedExisting => Interlocked.Read(ref _linkedExisting);

    /// <summary>Files the bundle reader asked for and had to write (new content, or linking failed).</summary>
    public long UnknownContent => Interlocked.Read(ref _unknownContent);

    /// <summary>New files the bundle reader made objects while reading (<see cref="TryAdopt"/>, since the store opened).</summary>
    public long AdoptedByReader => Interlocked.Read(ref _adoptedByReader);

    public string PathFor(string sha256, bool executable) =>
        Path.Combine(layout.Objects, sha256[..2], sha256 + (executable ? ".x" : ""));

    /// <summary>
    /// Makes the staged file at <paramref name="stagedFile"/> share the object's inode: a new
    /// content is linked in as the object; an existing object replaces the staged copy. The staged
    /// file already has its final mode (0444, or 0555 when <paramref name="executable"/>): the bundle
    /// reader creates files that way, so adoption costs one link(2) per new content and no chmod.
    /// </summary>
    public AdoptOutcome Adopt(string stagedFile, string sha256, bool executable)
    {
        var objectPath = PathFor(sha256, executable);
        EnsureDirectory(Path.GetDirectoryName(objectPath)!);
        if (Posix.Link(stagedFile, objectPath) == 0)
        {
            return AdoptOutcome.Added;
        }

        if (Posix.LastError != Posix.EEXIST)
        {
            // Hard links unsupported here (or a link limit): the release keeps its own copy.
            return AdoptOutcome.Copied;
        }

        if (Posix.Identity(stagedFile) is { } staged && staged == Posix.Identity(objectPath))
        {
            // The bundle reader already linked the object here (IKnownContent).
            return AdoptOutcome.Reused;
        }

        File.Delete(stagedFile);
        return LinkOrCopy(objectPath, stagedFile) ? AdoptOutcome.Reused : AdoptOutcome.Copied;
    }

    /// <summary>
    /// Links the existing object into staging without holding the objects lock: if garbage collection
    /// removes the object before <see cref="Adopt"/>, the staged link keeps its inode alive and
    /// <see cref="Adopt"/> links it back in as a new object, so a collection can never leave the
    /// release without its content.
    /// </summary>
    public bool TryLinkExisting(string sha256, bool executable, string destinationPath)
    {
        if (Posix.Link(PathFor(sha256, executable), destinationPath) == 0)
        {
            Interlocked.Increment(ref _linkedExisting);
            return true;
        }

        Interlocked.Increment(ref _unknownContent);
        return false;
    }

    public bool MayHoldAny() => Directory.Exists(layout.Objects) && Directory.EnumerateDirectories(layout.Objects).Any();

    /// <summary>
    /// Links a freshly staged file in as the object (the bundle reader's writer thread, while the
    /// parse goes on): the same first step as <see cref="Adopt"/>, whose other cases stay there.
    /// </summary>
    public bool TryAdopt(string stagedFile, string sha256, bool executable)
    {
        var objectPath = PathFor(sha256, executable);
        EnsureDirectory(Path.GetDirectoryName(objectPath)!);
        if (Posix.Link(stagedFile, objectPath) != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _adoptedByReader);
        return true;
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
