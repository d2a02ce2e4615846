using Microsoft.Win32.SafeHandles;
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
    // "aa/" + 64 hex digits + ".x" + NUL: an object's name below objects/, built on the stack.
    private const int MaxObjectNameBytes = 3 + 64 + 2 + 1;

    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private readonly ObjectIndex _index = new(layout.Objects);

    // The bundle reader's per-file links go through a handle of objects/ (linkat with "aa/<sha256>"),
    // opened once per store: the objects directory is never moved or removed while the store is open.
    private readonly Lock _handleLock = new();
    private SafeFileHandle? _objectsHandle;

    // Which of the 256 fan-out directories exist (made once each, by any thread).
    private readonly bool[] _fanOutMade = new bool[256];
    private long _linkedExisting;
    private long _unknownContent;
    private long _adoptedByReader;
    private long _probesSkipped;

    /// <summary>Files the bundle reader linked from objects instead of writing (since the store opened).</summary>
    public long LinkedExisting => Interlocked.Read(ref _linkedExisting);

    /// <summary>Files the bundle reader asked for and had to write (new content, or linking failed).</summary>
    public long UnknownContent => Interlocked.Read(ref _unknownContent);

    /// <summary>Files the bundle reader did not ask the file system about: <see cref="ObjectIndex"/> knew the content was not here (counted in <see cref="UnknownContent"/> too).</summary>
    public long ProbesSkipped => Interlocked.Read(ref _probesSkipped);

    /// <summary>The index of which objects may exist, for tests.</summary>
    internal ObjectIndex Index => _index;

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
            _index.Add(sha256, executable);
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
    public bool TryLinkExisting(string sha256, bool executable, string destinationPath) =>
        TryLinkExisting(sha256, executable, Posix.AT_FDCWD, destinationPath);

    /// <inheritdoc cref="TryLinkExisting(string, bool, string)"/>
    public bool TryLinkExisting(string sha256, bool executable, StagedFile destination) =>
        TryLinkExisting(sha256, executable, destination.DirectoryFd, destination.RelativePath);

    private bool TryLinkExisting(string sha256, bool executable, int directoryFd, string destinationPath)
    {
        Span<byte> name = stackalloc byte[MaxObjectNameBytes];
        if (ObjectName(sha256, executable, name) && Posix.LinkAt(ObjectsFd(), name, directoryFd, destinationPath) == 0)
        {
            Interlocked.Increment(ref _linkedExisting);
            return true;
        }

        Interlocked.Increment(ref _unknownContent);
        return false;
    }

    /// <summary>Also starts (or renews) the <see cref="ObjectIndex"/> when there is anything to index.</summary>
    public bool MayHoldAny()
    {
        if (!Directory.Exists(layout.Objects) || !Directory.EnumerateDirectories(layout.Objects).Any())
        {
            return false;
        }

        _index.Refresh();
        return true;
    }

    public bool MayHold(string sha256, bool executable)
    {
        if (_index.MayContain(sha256, executable))
        {
            return true;
        }

        Interlocked.Increment(ref _probesSkipped);
        Interlocked.Increment(ref _unknownContent);
        return false;
    }

    /// <summary>
    /// Links a freshly staged file in as the object (the bundle reader's writer thread, while the
    /// parse goes on): the same first step as <see cref="Adopt"/>, whose other cases stay there.
    /// </summary>
    public bool TryAdopt(StagedFile stagedFile, string sha256, bool executable)
    {
        Span<byte> name = stackalloc byte[MaxObjectNameBytes];
        if (!ObjectName(sha256, executable, name))
        {
            return false;
        }

        EnsureFanOut(sha256);
        if (Posix.LinkAt(stagedFile.DirectoryFd, stagedFile.RelativePath, ObjectsFd(), name) != 0)
        {
            return false;
        }

        _index.Add(sha256, executable);
        Interlocked.Increment(ref _adoptedByReader);
        return true;
    }

    /// <summary>"aa/&lt;sha256&gt;[.x]" and a NUL into <paramref name="name"/>; false for anything but 64 lower-case hex digits.</summary>
    private static bool ObjectName(string sha256, bool executable, Span<byte> name)
    {
        if (sha256.Length != 64)
        {
            return false;
        }

        name[0] = (byte)sha256[0];
        name[1] = (byte)sha256[1];
        name[2] = (byte)'/';
        for (var i = 0; i < 64; i++)
        {
            var c = sha256[i];
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }

            name[3 + i] = (byte)c;
        }

        var end = 67;
        if (executable)
        {
            name[end++] = (byte)'.';
            name[end++] = (byte)'x';
        }

        name[end] = 0;
        return true;
    }

    private int ObjectsFd()
    {
        if (Volatile.Read(ref _objectsHandle) is { } open)
        {
            return (int)open.DangerousGetHandle();
        }

        lock (_handleLock)
        {
            if (_objectsHandle is null)
            {
                Directory.CreateDirectory(layout.Objects);
                var fd = Posix.Open(layout.Objects, Posix.O_PATH | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    throw Posix.Error("open", layout.Objects);
                }

                Volatile.Write(ref _objectsHandle, new SafeFileHandle(fd, ownsHandle: true));
            }

            return (int)_objectsHandle.DangerousGetHandle();
        }
    }

    private static int Nibble(char hex) => hex <= '9' ? hex - '0' : hex - 'a' + 10;

    private void EnsureFanOut(string sha256)
    {
        var index = (Nibble(sha256[0]) << 4) | Nibble(sha256[1]);
        if (!Volatile.Read(ref _fanOutMade[index]))
        {
            EnsureDirectory(Path.Combine(layout.Objects, sha256[..2]));
            Volatile.Write(ref _fanOutMade[index], true);
        }
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
