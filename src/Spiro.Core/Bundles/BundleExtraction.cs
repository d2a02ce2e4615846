using System.Buffers;
using System.IO.Compression;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Spiro.Core.Bundles;

/// <summary>
/// One run of <see cref="BundleReader"/>: reads entries one by one into a fresh staging directory.
/// Files with content are written as they stream by; empty files and links wait for the end.
/// With known content, small files are read whole into one buffer and hashed before anything is
/// written, so a file the destination already holds costs a link instead of its bytes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The pipeline and the writer live for one RunAsync call, which disposes them.")]
internal sealed class BundleExtraction(BundleLimits limits, string staging, IKnownContent? knownContent = null, bool trustContentReferences = false)
{
    /// <summary>
    /// Largest file read whole into memory and hashed before it is written, so known content is
    /// linked instead (see <see cref="StagingPipeline"/>, whose slabs are this big). Larger files
    /// stream, hashed as they are written.
    /// </summary>
    internal const int SmallFileBytes = 4 << 20;

    // The tar reader's buffer (and the block decompressors read from): one read of the input per MiB, not per header.
    private const int InputBlockBytes = 1 << 20;

    /// <summary>Zero padding accepted after the end-of-archive block (tar pads to its record size, 10 KiB by default).</summary>
    private const int MaxBytesAfterEnd = 1 << 20;
    /// <summary>Largest zstd window a bundle may need: 2^24 bytes (16 MiB).</summary>
    internal const int MaxZstdWindowLog = 24;

    private const int MaxGitCommitChars = 4096;
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly BundleTree _tree = new(limits.MaxEntries);
    private readonly StagingWriter _writer = new(staging);
    private readonly List<string> _emptyFiles = [];
    private StagingPipeline _pipeline = null!;
    private long _totalBytes;
    private int _entries;
    private string? _currentEntry;

    public async Task<BundleReadResult> RunAsync(Stream input, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InputBlockBytes);
        byte[]? block = null;
        try
        {
            await using (_pipeline = new StagingPipeline(_writer, knownContent))
            {
                var head = new byte[BundleFormatSniffer.MagicLength];
                int got;
                try
                {
                    got = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                }
                catch (BundleRejectedException e)
                {
                    // A tar the store rebuilds (negotiated upload) can fail before its first bytes arrive.
                    return Rejected(null, e.Rule, e.Message);
                }

                if (got == 0)
                {
                    return Rejected(null, BundleRules.EmptyInput, "bundle is empty (no bytes)");
                }

                var format = BundleFormatSniffer.Detect(head.AsSpan(0, got));
                if (format == BundleFormat.Tar)
                {
                    // The tar reader's own buffer takes the input in large reads: no layer in between.
                    return await ReadAsync(new PrefixedStream(head[..got], input), buffer, cancellationToken);
                }

                // Decompressors read in small pieces: give them the input in large blocks.
                block = ArrayPool<byte>.Shared.Rent(InputBlockBytes);
                var prefixed = new PrefixedStream(head[..got], new BlockReadStream(input, block));
                Stream unpacked = format == BundleFormat.Gzip
                    ? new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: true)
                    : ZstdDecoder(prefixed);
                await using var meter = new TarInputMeter(unpacked, prefixed, limits, followHeaders: false);
                return await ReadAsync(meter, buffer, cancellationToken);
            }
        }
        finally
        {
            _writer.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            if (block is not null)
            {
                ArrayPool<byte>.Shared.Return(block);
            }
        }
    }

    private async Task<BundleReadResult> ReadAsync(Stream tar, byte[] buffer, CancellationToken cancellationToken)
    {
        var reader = new TarStreamReader(tar, buffer, limits.MaxHeaderBytes);
        try
        {
            return await ReadEntriesAsync(reader, cancellationToken);
        }
        catch (TarFormatException e)
        {
            var where = _currentEntry is null ? "" : e.InData ? $" (entry '{TarEntryRules.Printable(_currentEntry)}')" : $" after entry '{TarEntryRules.Printable(_currentEntry)}'";
            return Rejected(_currentEntry, e.Rule, e.Message + where);
        }
        catch (BundleRejectedException e)
        {
            return Rejected(_currentEntry, e.Rule, e.Message + InEntry());
        }
    }

    private async Task<BundleReadResult> ReadEntriesAsync(TarStreamReader reader, CancellationToken cancellationToken)
    {
        var entry = reader.Entry;
        while (await reader.NextAsync(cancellationToken))
        {
            _currentEntry = entry.Name;
            if (++_entries > limits.MaxEntries)
            {
                return Rejected(entry.Name, BundleRules.TooManyEntries, $"entry '{TarEntryRules.Printable(entry.Name)}' is past the limit of {limits.MaxEntries} entries (tar headers)");
            }

            var verdict = TarEntryRules.Check(entry.Name, entry.Type, entry.LinkName, limits);
            if (verdict is EntryVerdict.Reject rule)
            {
                return new BundleReadResult.Rejected(entry.Name, rule.Rule, rule.Message);
            }

            if (verdict is EntryVerdict.Accept accept)
            {
                if (_tree.Add(entry.Name, accept.Path, accept.Kind, accept.LinkTarget) is { } clash)
                {
                    return new BundleReadResult.Rejected(entry.Name, clash.Rule, clash.Message);
                }

                var problem = accept.Kind switch
                {
                    NodeKind.File => await WriteFileAsync(reader, accept.Path, cancellationToken),
                    NodeKind.Directory => await CreateDirectoryAsync(accept.Path, cancellationToken),
                    _ => null, // links become files once every entry (and so every target) is known
                };
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        _currentEntry = null;
        await reader.CheckOnlyZerosFollowAsync(MaxBytesAfterEnd, cancellationToken);
        return await FinishAsync(cancellationToken);
    }

    /// <summary>
    /// A zstd frame states the window its decoder must hold in memory (up to 2 GiB, or 128 MiB by
    /// default); bundles may ask for at most <see cref="MaxZstdWindowLog"/>, enough for every
    /// compression level short of --ultra and --long.
    /// </summary>
    private static DecompressionStream ZstdDecoder(Stream compressed)
    {
        var decoder = new DecompressionStream(compressed, checkEndOfStream: true, leaveOpen: true);
        decoder.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, MaxZstdWindowLog);
        return decoder;
    }

    private async Task<BundleReadResult.Rejected?> WriteFileAsync(TarStreamReader reader, string path, CancellationToken cancellationToken)
    {
        var entry = reader.Entry;
        if (trustContentReferences && knownContent is not null && ContentReference.TryRead(entry, out var sha256, out var size))
        {
            return await LinkReferenceAsync(entry, path, sha256, size, cancellationToken);
        }

        if (entry.Size > limits.MaxFileBytes)
        {
            return Rejected(entry.Name, BundleRules.FileTooLarge, $"entry '{TarEntryRules.Printable(entry.Name)}' has {entry.Size} bytes, more than the limit of {limits.MaxFileBytes}");
        }

        if (_totalBytes + entry.Size > limits.MaxTotalBytes)
        {
            return Rejected(entry.Name, BundleRules.TotalTooLarge, $"entry '{TarEntryRules.Printable(entry.Name)}' takes the bundle past the limit of {limits.MaxTotalBytes} bytes");
        }

        var executable = entry.Executable;
        if (entry.Size == 0)
        {
            // Created at the end: a flood of empty entries (the cheapest way to hit the entry limit) costs no disk work.
            RecordFile(path, 0, executable, EmptySha256);
            _emptyFiles.Add(path);
            return null;
        }

        // The writer thread hashes the content and sets the node's sha256 (read once it is drained).
        var length = entry.Size;
        var written = await _pipeline.AddFileAsync(path, _tree.Get(path), reader, length, executable, cancellationToken);
        if (written != length)
        {
            return Rejected(entry.Name, BundleRules.Truncated, $"entry '{TarEntryRules.Printable(entry.Name)}' ends after {written} of {length} bytes");
        }

        RecordFile(path, written, executable, null);
        return null;
    }

    /// <summary>A reference to content the store holds: the same limits as its bytes would meet, then a link instead of a write.</summary>
    private async Task<BundleReadResult.Rejected?> LinkReferenceAsync(TarEntryHeader entry, string path, string sha256, long size, CancellationToken cancellationToken)
    {
        if (size > limits.MaxFileBytes)
        {
            return Rejected(entry.Name, BundleRules.FileTooLarge, $"entry '{TarEntryRules.Printable(entry.Name)}' has {size} bytes, more than the limit of {limits.MaxFileBytes}");
        }

        if (_totalBytes + size > limits.MaxTotalBytes)
        {
            return Rejected(entry.Name, BundleRules.TotalTooLarge, $"entry '{TarEntryRules.Printable(entry.Name)}' takes the bundle past the limit of {limits.MaxTotalBytes} bytes");
        }

        var executable = entry.Executable;
        RecordFile(path, size, executable, sha256);
        await _pipeline.LinkKnownAsync(path, _tree.Get(path), executable, cancellationToken);
        return null;
    }

    private void RecordFile(string path, long size, bool executable, string? sha256)
    {
        var node = _tree.Get(path);
        node.Size = size;
        node.Executable = executable;
        if (sha256 is not null)
        {
            node.Sha256 = sha256;
        }

        _totalBytes += size;
    }

    /// <summary>Empty files and links are written once every entry (and so every link target) is known.</summary>
    private async Task<BundleReadResult> FinishAsync(CancellationToken cancellationToken)
    {
        await _pipeline.CompleteAsync(cancellationToken);
        foreach (var path in _emptyFiles)
        {
            _writer.CreateEmptyFile(path, _tree.Get(path).Executable);
        }

        foreach (var linkPath in _tree.Links)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var link = _tree.Get(linkPath);
            var (filePath, rejection) = _tree.ResolveLink(linkPath);
            if (rejection is not null)
            {
                return new BundleReadResult.Rejected(link.EntryName, rejection.Rule, rejection.Message);
            }

            var target = _tree.Get(filePath!);
            if (_totalBytes + target.Size > limits.MaxTotalBytes)
            {
                return Rejected(link.EntryName, BundleRules.TotalTooLarge, $"link '{TarEntryRules.Printable(link.EntryName)}' copies {target.Size} bytes and takes the bundle past the limit of {limits.MaxTotalBytes} bytes");
            }

            if (knownContent is not null && _writer.TryLinkKnown(linkPath, target.Sha256!, target.Executable, knownContent))
            {
                link.IsObject = true;
            }
            else
            {
                _writer.CopyFile(filePath!, linkPath, target.Executable);
            }

            link.Kind = NodeKind.File;
            RecordFile(linkPath, target.Size, target.Executable, target.Sha256!);
        }

        var gitCommit = _tree.TryGet(".gitcommit", out var node) && node.Kind == NodeKind.File
            ? await _writer.ReadTextAsync(".gitcommit", MaxGitCommitChars, cancellationToken)
            : null;
        return new BundleReadResult.Accepted(_tree.Manifest(), _totalBytes, gitCommit) { ObjectPaths = _tree.ObjectPaths() };
    }

    private async Task<BundleReadResult.Rejected?> CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        await _pipeline.CreateDirectoryAsync(path, cancellationToken);
        return null;
    }

    private string InEntry() => _currentEntry is null ? "" : $" (while reading entry '{TarEntryRules.Printable(_currentEntry)}')";

    private static BundleReadResult.Rejected Rejected(string? entry, string rule, string message) =>
        new(entry, rule, $"{message} (rule {rule})");
}
