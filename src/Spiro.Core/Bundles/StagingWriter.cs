using System.Collections.Concurrent;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Bundles;

/// <summary>
/// The only code that writes into staging. Paths come normalised from <see cref="TarEntryRules"/>;
/// every file is created with O_EXCL and no symlink is ever created, so nothing is followed.
/// Files end read-only (0444, or 0555 with an exec bit); directories stay writable. Per-file calls
/// go through a handle of the staging directory (openat, linkat with the bundle's relative path),
/// so no absolute path is built or walked per file.
/// </summary>
internal sealed class StagingWriter : IDisposable
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadOnlyExec = ReadOnly | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const int ReadOnlyBits = 0b100_100_100;
    private const int ReadOnlyExecBits = 0b101_101_101;

    // Read once: the umask is process-wide and in practice never changes while a server runs.
    private static readonly int UmaskBits = Posix.Umask();

    private readonly string _staging;
    private readonly int _stagingFd;

    // Relative paths of the directories made so far ("" is staging itself), looked up by span: no
    // string per file. Concurrent: the pipeline's two writer threads both create files (and their
    // parents; mkdir of a directory the other thread just made is no error).
    private readonly ConcurrentDictionary<string, byte> _createdDirectories = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _createdLookup;

    /// <param name="staging">An existing, empty directory, absolute and without a trailing separator.</param>
    public StagingWriter(string staging)
    {
        _staging = staging;
        _createdLookup = _createdDirectories.GetAlternateLookup<ReadOnlySpan<char>>();
        _stagingFd = Posix.Open(staging, Posix.O_PATH | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
        if (_stagingFd < 0)
        {
            throw Posix.Error("open", staging);
        }
    }

    /// <summary>Writes <paramref name="content"/>, already read and hashed, into a new file: open, write, close and nothing else.</summary>
    public void WriteNew(string path, ReadOnlySpan<byte> content, bool executable)
    {
        var fd = OpenNew(path, executable);
        try
        {
            Append(fd, path, content);
        }
        finally
        {
            _ = Posix.Close(fd);
        }
    }

    /// <summary>
    /// Creates a new file (O_EXCL, O_NOFOLLOW) already read-only: an open descriptor may write to
    /// a file whose mode forbids it, so no chmod is needed afterwards unless the umask strips bits.
    /// </summary>
    public int OpenNew(string path, bool executable)
    {
        var file = Staged(path);
        EnsureParent(path);
        var mode = executable ? ReadOnlyExecBits : ReadOnlyBits;
        var fd = Posix.OpenAt(_stagingFd, file.RelativePath, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, mode);
        if (fd < 0)
        {
            throw Posix.Error("create", file.FullPath);
        }

        if ((UmaskBits & mode) != 0 && Posix.Fchmod(fd, mode) != 0)
        {
            var error = Posix.Error("chmod", file.FullPath);
            _ = Posix.Close(fd);
            throw error;
        }

        return fd;
    }

    /// <summary>Appends to a file from <see cref="OpenNew"/>.</summary>
    public static void Append(int fd, string path, ReadOnlySpan<byte> content)
    {
        if (!Posix.WriteAll(fd, content))
        {
            throw Posix.Error("write", path);
        }
    }

    /// <summary>Asks <paramref name="known"/> to create the file at <paramref name="path"/> from content it already holds.</summary>
    public bool TryLinkKnown(string path, string sha256, bool executable, IKnownContent known)
    {
        var file = Staged(path);
        EnsureParent(path);
        return known.TryLinkExisting(sha256, executable, file);
    }

    /// <summary>Asks <paramref name="known"/> to take the file just written at <paramref name="path"/> as its content's object.</summary>
    public bool TryAdopt(string path, string sha256, bool executable, IKnownContent known) =>
        known.TryAdopt(Staged(path), sha256, executable);

    public void CreateEmptyFile(string path, bool executable)
    {
        var full = FullPath(path);
        EnsureDirectory(Path.GetDirectoryName(full)!);
        using var handle = File.OpenHandle(full, FileMode.CreateNew, FileAccess.Write);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(handle, executable ? ReadOnlyExec : ReadOnly);
        }
    }

    public void CreateDirectory(string path) => EnsureDirectory(FullPath(path));

    /// <summary>Publishes a link as a regular copy of the file it resolves to.</summary>
    public void CopyFile(string fromPath, string toPath, bool executable)
    {
        var destination = FullPath(toPath);
        EnsureDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(FullPath(fromPath), destination, overwrite: false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, executable ? ReadOnlyExec : ReadOnly);
        }
    }

    public async Task<string> ReadTextAsync(string path, int maxChars, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(FullPath(path));
        var buffer = new char[maxChars];
        var n = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, n);
    }

    public void Dispose() => _ = Posix.Close(_stagingFd);

    /// <summary>Bundles put many files in one directory: ask the file system once per directory.</summary>
    private void EnsureDirectory(string fullPath)
    {
        var relative = fullPath.Length > _staging.Length ? fullPath[(_staging.Length + 1)..] : "";
        if (!_createdDirectories.ContainsKey(relative))
        {
            Directory.CreateDirectory(fullPath);
            _createdDirectories.TryAdd(relative, 0);
        }
    }

    /// <summary>The directory a normalised relative path is in, made once (checked without building its name again).</summary>
    private void EnsureParent(string path)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(0, slash);
        if (!_createdLookup.ContainsKey(parent))
        {
            var name = parent.ToString();
            Directory.CreateDirectory(string.Concat(_staging, "/", name));
            _createdDirectories.TryAdd(name, 0);
        }
    }

    private StagedFile Staged(string path) =>
        IsNormalisedRelative(path)
            ? new StagedFile(_stagingFd, _staging, path)
            : throw new InvalidOperationException($"bundle path '{path}' is not a normalised relative path inside staging");

    /// <summary>
    /// Defence in depth: the rules already rule out escapes, and nothing on disk is a symlink. A
    /// normalised relative path (no leading '/', no '..', '.' or empty segment) joined to staging
    /// stays inside it; anything else is refused here (a string check per file, not GetFullPath).
    /// </summary>
    private string FullPath(string path)
    {
        if (!IsNormalisedRelative(path))
        {
            throw new InvalidOperationException($"bundle path '{path}' is not a normalised relative path inside staging");
        }

        return string.Concat(_staging, "/", path);
    }

    internal static bool IsNormalisedRelative(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path.Contains('\\') || path.Contains('\0'))
        {
            return false;
        }

        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
