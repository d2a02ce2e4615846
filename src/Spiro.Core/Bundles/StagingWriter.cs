using System.Buffers;
using System.Security.Cryptography;

namespace Spiro.Core.Bundles;

/// <summary>
/// The only code that writes into staging. Paths come normalised from <see cref="TarEntryRules"/>;
/// every file is created with O_EXCL and no symlink is ever created, so nothing is followed.
/// Files end read-only (0444, or 0555 with an exec bit); directories stay writable.
/// </summary>
internal sealed class StagingWriter(string staging)
{
    private const int CopyBufferSize = 128 * 1024;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadOnlyExec = ReadOnly | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly HashSet<string> _createdDirectories = new(StringComparer.Ordinal);

    /// <summary>Streams <paramref name="data"/> into a new file, hashing as it goes; returns bytes written and sha256.</summary>
    public async Task<(long Written, string Sha256)> WriteFileAsync(string path, Stream? data, bool executable, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        EnsureDirectory(Path.GetDirectoryName(full)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;
        await using (var file = new FileStream(full, CreateNewOptions()))
        {
            if (data is not null)
            {
                written = await CopyAsync(data, file, hash, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, executable ? ReadOnlyExec : ReadOnly);
            }
        }

        return (written, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Writes <paramref name="content"/>, already read and hashed, into a new file.</summary>
    public async Task WriteContentAsync(string path, ReadOnlyMemory<byte> content, bool executable, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        EnsureDirectory(Path.GetDirectoryName(full)!);
        await using var file = new FileStream(full, CreateNewOptions());
        await file.WriteAsync(content, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.SafeFileHandle, executable ? ReadOnlyExec : ReadOnly);
        }
    }

    /// <summary>Asks <paramref name="known"/> to create the file at <paramref name="path"/> from content it already holds.</summary>
    public bool TryLinkKnown(string path, string sha256, bool executable, IKnownContent known)
    {
        var full = FullPath(path);
        EnsureDirectory(Path.GetDirectoryName(full)!);
        return known.TryLinkExisting(sha256, executable, full);
    }

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

    private static FileStreamOptions CreateNewOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never reuses or follows anything already on disk
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static async Task<long> CopyAsync(Stream data, FileStream file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        long written = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                written += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return written;
    }

    /// <summary>Bundles put many files in one directory: ask the file system once per directory.</summary>
    private void EnsureDirectory(string fullPath)
    {
        if (_createdDirectories.Add(fullPath))
        {
            Directory.CreateDirectory(fullPath);
        }
    }

    /// <summary>Defence in depth: the rules already rule out escapes, and nothing on disk is a symlink.</summary>
    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Join(staging, path));
        if (!full.StartsWith(staging + "/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"bundle path '{path}' resolved outside staging");
        }

        return full;
    }
}
