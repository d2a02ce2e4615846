using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Spiro.Core.Bundles;

/// <summary>
/// Hands file contents from the tar parse to one writer thread, so hashing and the file-system
/// calls (link from known content, or create, write, close) run on the second core while the
/// parse reads on. Contents travel in a few fixed slabs, small files packed back to back, so at
/// most <see cref="SlabCount"/> x <see cref="SlabBytes"/> are in flight and no file costs a buffer
/// of its own. Jobs run in the order they were queued; the parse waits only when every slab is
/// queued. A failure on the writer thread is rethrown to the parse at its next call. When the
/// writer falls behind, the parse hashes small files itself, so both cores share the work.
/// </summary>
internal sealed class StagingPipeline : IAsyncDisposable
{
    /// <summary>A slab holds any file hashed before it is written (see <see cref="BundleExtraction.SmallFileBytes"/>).</summary>
    public const int SlabBytes = BundleExtraction.SmallFileBytes;

    private const int SlabCount = 3;

    // Queued jobs past which the parse hashes a small file itself instead of leaving it to the writer.
    private const int HashHereAbove = 32;

    // A streamed (large) file takes a new slab rather than reading in pieces smaller than this.
    private const int MinChunk = 64 * 1024;

    private readonly StagingWriter _writer;
    private readonly IKnownContent? _known;

    // Writer-thread state: whether asking known content per file can find anything, and the
    // contents this run adopted itself (a duplicate inside the bundle links to the first copy).
    private readonly bool _probe;
    private readonly HashSet<string> _adopted = new(StringComparer.Ordinal);
    private readonly Channel<StagingJob> _jobs = Channel.CreateBounded<StagingJob>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
    private readonly Channel<byte[]> _freeSlabs = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<byte[]> _slabs = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _slab;
    private int _slabUsed;
    private volatile Exception? _failure;

    // Writer-thread state of the file being streamed (Open, Chunk..., Close).
    private int _streamFd = -1;
    private string? _streamPath;
    private IncrementalHash? _streamHash;

    public StagingPipeline(StagingWriter writer, IKnownContent? known)
    {
        _writer = writer;
        _known = known;
        _probe = known?.MayHoldAny() ?? false;
        new Thread(Run) { IsBackground = true, Name = "spiro staging writer" }.Start();
    }

    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        EnqueueAsync(new StagingJob(StagingJobKind.Directory, path, null, false, null, 0, 0), cancellationToken);

    /// <summary>Queues a link of the known content <paramref name="node"/> names (its sha256 is set); the writer rejects the bundle when that content is gone.</summary>
    public ValueTask LinkKnownAsync(string path, BundleTree.Node node, bool executable, CancellationToken cancellationToken) =>
        EnqueueAsync(new StagingJob(StagingJobKind.Reference, path, node, executable, null, 0, 0), cancellationToken);

    /// <summary>
    /// Reads the entry's data (up to <paramref name="length"/> bytes) and queues its file; the
    /// writer thread sets <see cref="BundleTree.Node.Sha256"/>. Returns the bytes read: fewer than
    /// <paramref name="length"/> means the input ended early (the caller rejects the bundle).
    /// </summary>
    public async ValueTask<long> AddFileAsync(string path, BundleTree.Node node, TarStreamReader data, long length, bool executable, CancellationToken cancellationToken)
    {
        if (length <= SlabBytes)
        {
            var size = (int)length;
            var (slab, offset) = await ReserveAsync(size, cancellationToken).ConfigureAwait(false);
            var got = await data.ReadDataFullyAsync(slab.AsMemory(offset, size), cancellationToken).ConfigureAwait(false);
            _slabUsed += got;
            if (got == size)
            {
                if (_jobs.Reader.Count > HashHereAbove)
                {
                    // The writer is behind (its file calls cost more than the parse): take the hashing off it.
                    node.Sha256 = Sha256Hex(slab.AsSpan(offset, got));
                }

                await EnqueueAsync(new StagingJob(StagingJobKind.File, path, node, executable, slab, offset, got), cancellationToken).ConfigureAwait(false);
            }

            return got;
        }

        await EnqueueAsync(new StagingJob(StagingJobKind.Open, path, node, executable, null, 0, 0), cancellationToken).ConfigureAwait(false);
        long total = 0;
        while (total < length)
        {
            var (slab, offset) = await ReserveAsync(MinChunk, cancellationToken).ConfigureAwait(false);
            var room = (int)Math.Min(SlabBytes - offset, length - total);
            var n = await data.ReadDataAsync(slab.AsMemory(offset, room), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            _slabUsed += n;
            total += n;
            await EnqueueAsync(new StagingJob(StagingJobKind.Chunk, path, node, executable, slab, offset, n), cancellationToken).ConfigureAwait(false);
        }

        await EnqueueAsync(new StagingJob(StagingJobKind.Close, path, node, executable, null, 0, 0), cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <summary>Waits until every queued file is on disk (and hashed); rethrows the writer's failure.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await ReleaseCurrentSlabAsync(cancellationToken).ConfigureAwait(false);
        _jobs.Writer.TryComplete();
        await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed();
    }

    /// <summary>
    /// Lets the writer finish what is queued (at most the slabs' worth, as the reader before it
    /// wrote each file as it went) and waits for it, so nothing writes into staging afterwards.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        foreach (var slab in _slabs)
        {
            ArrayPool<byte>.Shared.Return(slab);
        }

        _slabs.Clear();
    }

    private async ValueTask<(byte[] Slab, int Offset)> ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        if (_slab is null || SlabBytes - _slabUsed < bytes)
        {
            await ReleaseCurrentSlabAsync(cancellationToken).ConfigureAwait(false);
            _slab = await TakeSlabAsync(cancellationToken).ConfigureAwait(false);
            _slabUsed = 0;
        }

        return (_slab, _slabUsed);
    }

    private async ValueTask<byte[]> TakeSlabAsync(CancellationToken cancellationToken)
    {
        if (_freeSlabs.Reader.TryRead(out var free))
        {
            return free;
        }

        if (_slabs.Count < SlabCount)
        {
            var slab = ArrayPool<byte>.Shared.Rent(SlabBytes);
            _slabs.Add(slab);
            return slab;
        }

        try
        {
            return await _freeSlabs.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw;
        }
    }

    private async ValueTask ReleaseCurrentSlabAsync(CancellationToken cancellationToken)
    {
        if (_slab is not null)
        {
            // Queued after the slab's last job: the writer frees it once those are done.
            var slab = _slab;
            _slab = null;
            await _jobs.Writer.WriteAsync(new StagingJob(StagingJobKind.ReleaseSlab, null, null, false, slab, 0, 0), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EnqueueAsync(StagingJob job, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await _jobs.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void Run()
    {
        var jobs = _jobs.Reader;
        try
        {
            while (true)
            {
                if (!jobs.TryRead(out var job))
                {
                    if (!jobs.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    continue;
                }

                if (job.Kind == StagingJobKind.ReleaseSlab)
                {
                    _freeSlabs.Writer.TryWrite(job.Slab!);
                }
                else if (_failure is null)
                {
                    try
                    {
                        Execute(job);
                    }
#pragma warning disable CA1031 // Handed to the parse, which rethrows it as is.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _failure = e;
                        _freeSlabs.Writer.TryComplete();
                    }
                }
            }
        }
        finally
        {
            CloseStream();
            _streamHash?.Dispose();
            _stopped.SetResult();
        }
    }

    private void Execute(in StagingJob job)
    {
        switch (job.Kind)
        {
            case StagingJobKind.Directory:
                _writer.CreateDirectory(job.Path!);
                break;
            case StagingJobKind.File:
                var content = job.Content;
                var sha256 = job.Node!.Sha256 ??= Sha256Hex(content);
                if (_known is not null && (_probe || _adopted.Contains(sha256)) && _writer.TryLinkKnown(job.Path!, sha256, job.Executable, _known))
                {
                    job.Node.IsObject = true;
                }
                else
                {
                    _writer.WriteNew(job.Path!, content, job.Executable);
                    Adopt(job.Path!, job.Node, job.Executable);
                }

                break;
            case StagingJobKind.Reference:
                var known = job.Node!.Sha256!;
                if (_known is null || !_writer.TryLinkKnown(job.Path!, known, job.Executable, _known))
                {
                    throw new BundleRejectedException(BundleRules.ContentMissing, $"content {known} of '{TarEntryRules.Printable(job.Path!)}' is no longer on the server; negotiate the upload again");
                }

                job.Node.IsObject = true;

                break;
            case StagingJobKind.Open:
                _streamFd = _writer.OpenNew(job.Path!, job.Executable);
                _streamPath = job.Path;
                _streamHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            case StagingJobKind.Chunk:
                _streamHash!.AppendData(job.Content);
                StagingWriter.Append(_streamFd, _streamPath!, job.Content);
                break;
            case StagingJobKind.Close:
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                _streamHash!.GetHashAndReset(hash);
                job.Node!.Sha256 = Convert.ToHexStringLower(hash);
                CloseStream();
                Adopt(job.Path!, job.Node, job.Executable);
                break;
        }
    }

    /// <summary>The new file becomes its content's object here, on the writer thread, instead of after the parse.</summary>
    private void Adopt(string path, BundleTree.Node node, bool executable)
    {
        if (_known is not null && _writer.TryAdopt(path, node.Sha256!, executable, _known))
        {
            node.IsObject = true;
            _adopted.Add(node.Sha256!);
        }
    }

    private void CloseStream()
    {
        if (_streamFd >= 0)
        {
            _ = Releases.Layout.Posix.Close(_streamFd);
            _streamFd = -1;
        }
    }

    private static string Sha256Hex(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return Convert.ToHexStringLower(hash);
    }
}
