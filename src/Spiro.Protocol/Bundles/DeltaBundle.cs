using System.Buffers;
using System.Formats.Tar;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Spiro.Protocol.Deltas;

namespace Spiro.Protocol.Bundles;

/// <summary>
/// The client's half of the negotiated upload: the plan (every entry of the bundle, files with
/// size and sha256) and the tar of the files the server lacks. Both read the bundle exactly as
/// <see cref="BundleBuilder"/> writes it for a full upload, so the server can rebuild that tar.
/// </summary>
public static class DeltaBundle
{
    private const int HashBufferBytes = 1 << 20;

    /// <summary>Every entry of the bundle <paramref name="spec"/> describes, in tar order, files hashed.</summary>
    /// <exception cref="NotSupportedException">An entry type the plan cannot describe (a device, a fifo): upload the whole bundle instead.</exception>
    public static Task<IReadOnlyList<DeltaEntry>> PlanAsync(BundleSpec spec, CancellationToken cancellationToken) =>
        PlanAsync(spec, null, cancellationToken);

    /// <summary>
    /// Every entry of the bundle <paramref name="spec"/> describes, in tar order, files hashed: on
    /// Linux straight from the tree (lstat as TarWriter does it), taking the sha256 of a file whose
    /// stamp is unchanged from <paramref name="hashes"/> instead of reading it, and recording the
    /// others there; elsewhere by reading the bundle's tar back.
    /// </summary>
    /// <exception cref="NotSupportedException">An entry type the plan cannot describe (a device, a fifo): upload the whole bundle instead.</exception>
    public static async Task<IReadOnlyList<DeltaEntry>> PlanAsync(BundleSpec spec, IFileHashes? hashes, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return await PlanFromTarAsync(spec, cancellationToken).ConfigureAwait(false);
        }

        if (BundleBuilder.Validate(spec) is { } problem)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        var items = await BundleWalk.ItemsAsync(spec, cancellationToken).ConfigureAwait(false);
        var entries = new List<DeltaEntry>(items.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                entries.Add(await DescribeAsync(item, hashes, buffer, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return entries;
    }

    /// <summary>The plan read back from <see cref="BundleBuilder"/>'s tar: what the tree walk must match.</summary>
    internal static async Task<IReadOnlyList<DeltaEntry>> PlanFromTarAsync(BundleSpec spec, CancellationToken cancellationToken)
    {
        var entries = new List<DeltaEntry>();
        await ReadBundleAsync(spec, async entry => entries.Add(await DescribeAsync(entry, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>
    /// Writes a tar of the plan's files at <paramref name="missing"/> (indexes into
    /// <paramref name="plan"/>), same names and modes, in plan order, to <paramref name="output"/> (left open).
    /// </summary>
    /// <exception cref="InvalidOperationException">The bundle no longer matches the plan (files changed meanwhile).</exception>
    public static async Task WriteMissingAsync(BundleSpec spec, IReadOnlyList<DeltaEntry> plan, IReadOnlySet<int> missing, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(missing);
        if (BundleBuilder.Validate(spec) is { } problem)
        {
            throw new ArgumentException(problem, nameof(spec));
        }

        // Only the missing files are opened: the rest of the tree is not read again.
        var items = await BundleWalk.ItemsAsync(spec, cancellationToken).ConfigureAwait(false);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        for (var at = 0; at < items.Count; at++)
        {
            var item = items[at];
            if (at >= plan.Count || !string.Equals(plan[at].Path, item.EntryName, StringComparison.Ordinal))
            {
                throw Changed($"entry {at} is '{item.EntryName}', the plan said '{(at < plan.Count ? plan[at].Path : "nothing")}'");
            }

            if (missing.Contains(at))
            {
                await WriteFileAsync(writer, item, plan[at], cancellationToken).ConfigureAwait(false);
            }
        }

        if (items.Count != plan.Count)
        {
            throw Changed($"it has {items.Count} entries, the plan {plan.Count}");
        }

        if (missing.Count == 0)
        {
            // TarWriter writes no end-of-archive marker for an archive without entries.
            await output.WriteAsync(new byte[1024], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteFileAsync(TarWriter writer, BundleItem item, DeltaEntry planned, CancellationToken cancellationToken)
    {
        Stream data;
        if (item.Content is { } content)
        {
            data = new MemoryStream(content);
        }
        else
        {
            var stamp = FileStamp.Of(item.FullPath!);
            if (OperatingSystem.IsLinux() && stamp is not { IsRegularFile: true })
            {
                throw Changed($"'{item.EntryName}' is no longer a regular file");
            }

            data = new FileStream(item.FullPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        }

        await using (data)
        {
            if (data.Length != planned.Size)
            {
                throw Changed($"'{item.EntryName}' has {data.Length} bytes, the plan said {planned.Size}");
            }

            var entry = new PaxTarEntry(TarEntryType.RegularFile, item.EntryName)
            {
                Mode = (UnixFileMode)planned.Mode,
                DataStream = new KnownLengthStream(data, planned.Size),
            };
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static InvalidOperationException Changed(string detail) => new($"the bundle changed while it was uploaded ({detail})");

    private static async Task<DeltaEntry> DescribeAsync(BundleItem item, IFileHashes? hashes, byte[] buffer, CancellationToken cancellationToken)
    {
        if (item.Content is { } content)
        {
            return new DeltaEntry(item.EntryName, DeltaEntryTypes.File, (int)item.Mode, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), null);
        }

        var path = item.FullPath!;
        var stamp = FileStamp.Of(path) ?? throw new FileNotFoundException($"cannot read '{path}' for the bundle", path);
        if (stamp.IsDirectory)
        {
            return new DeltaEntry(item.EntryName, DeltaEntryTypes.Directory, stamp.Permissions, 0, null, null);
        }

        if (stamp.IsSymlink)
        {
            return new DeltaEntry(item.EntryName, DeltaEntryTypes.Symlink, stamp.Permissions, 0, null, new FileInfo(path).LinkTarget);
        }

        if (!stamp.IsRegularFile)
        {
            throw new NotSupportedException($"'{item.EntryName}' is not a regular file, directory or symlink, which a negotiated upload cannot describe");
        }

        if (hashes is not null && hashes.TryGet(path, stamp, out var known))
        {
            return new DeltaEntry(item.EntryName, DeltaEntryTypes.File, stamp.Permissions, stamp.Size, known, null);
        }

        var (sha256, size) = await HashFileAsync(path, buffer, cancellationToken).ConfigureAwait(false);
        // Remembered only when nothing moved while it was read (same stamp before and after, every byte counted).
        if (hashes is not null && size == stamp.Size && FileStamp.Of(path) == stamp)
        {
            hashes.Add(path, stamp, sha256);
        }

        return new DeltaEntry(item.EntryName, DeltaEntryTypes.File, stamp.Permissions, size, sha256, null);
    }

    private static async Task<(string Sha256, long Size)> HashFileAsync(string path, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        long size = 0;
        int n;
        while ((n = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            size += n;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static async Task<DeltaEntry> DescribeAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var mode = (int)entry.Mode;
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                var sha = entry.DataStream is null
                    ? Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty))
                    : Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream, cancellationToken).ConfigureAwait(false));
                return new DeltaEntry(entry.Name, DeltaEntryTypes.File, mode, entry.Length, sha, null);
            case TarEntryType.Directory:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Directory, mode, 0, null, null);
            case TarEntryType.SymbolicLink:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Symlink, mode, 0, null, entry.LinkName);
            case TarEntryType.HardLink:
                return new DeltaEntry(entry.Name, DeltaEntryTypes.Hardlink, mode, 0, null, entry.LinkName);
            default:
                throw new NotSupportedException($"'{entry.Name}' is a {entry.EntryType} entry, which a negotiated upload cannot describe");
        }
    }

    /// <summary>Runs <see cref="BundleBuilder"/> into a pipe and reads its tar back entry by entry (at most a few MiB in between).</summary>
    private static async Task ReadBundleAsync(BundleSpec spec, Func<TarEntry, Task> onEntry, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        var produce = Task.Run(async () =>
        {
            try
            {
                await using (var stream = pipe.Writer.AsStream(leaveOpen: true))
                {
                    await BundleBuilder.WriteAsync(spec, stream, cancellationToken).ConfigureAwait(false);
                }

                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
        try
        {
            await using var reader = new TarReader(pipe.Reader.AsStream(leaveOpen: true), leaveOpen: false);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await onEntry(entry).ConfigureAwait(false);
            }
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }

        await produce.ConfigureAwait(false);
    }
}
