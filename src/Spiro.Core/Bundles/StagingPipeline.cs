using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Spiro.Core.Bundles;

/// <summary>
/// Hands file contents from the tar parse to writer threads, so hashing and the file-system
/// calls (link from known content, or create, write, close) run beside the parse. Contents travel
/// in a few fixed slabs, small files packed back to back, so at most <see cref="SlabCount"/> x
/// <see cref="SlabBytes"/> are in flight and no file costs a buffer of its own. One writer starts
/// with the pipeline; a second starts once the first falls behind (<see cref="SecondWriterAbove"/>
/// jobs queued), because the file calls are then the slowest step: on tmpfs most of a publish is
/// the kernel copying pages in <c>write(2)</c>, which one thread cannot do faster (bench/README.md,
/// seventh round). Each file goes whole to the writer with the shorter queue, so a file's jobs run
/// in order on one thread; files have no order among themselves (every parent directory is made
/// with its file, duplicate paths never reach here). A slab is filled again only when every
/// writer has passed its release. A failure on a writer thread is rethrown to the parse at its
/// next call. When the writers fall behind, the parse hashes small files itself too.
/// </summary>
internal sealed class StagingPipeline : IAsyncDisposable
{
    /// <summary>A slab holds any file hashed before it is written (see <see cref="BundleExtraction.SmallFileBytes"/>).</summary>
    public const int SlabBytes = BundleExtraction.SmallFileBytes;

    // One being filled, one queued for each writer, one spare, so neither writer waits for the parse.
    private const int SlabCount = 4;

    /// <summary>
    /// Two writers: the masters this is built for have two cores or more, and creates in one
    /// directory serialise on its inode lock in the kernel, so more threads would mostly wait.
    /// </summary>
    internal const int DefaultMaxWriters = 2;

    // Queued jobs past which the parse hashes a small file itself instead of leaving it to the writer.
    private const int HashHereAbove = 32;

    // Queued jobs of the first writer past which the second one starts: a small bundle never needs it.
    private const int SecondWriterAbove = 16;

    // A streamed (large) file takes a new slab rather than reading in pieces smaller than this.
    private const int MinChunk = 64 * 1024;

    private readonly StagingWriter _writer;
    private readonly IKnownContent? _known;
    private readonly int _maxWriters = Math.Min(MaxWriters, Environment.ProcessorCount);

    // Writer-thread state shared by the writers: whether asking known content per file can find
    // anything, and the contents this run adopted itself (a duplicate inside the bundle links to
    // the first copy; one the other writer is still adopting is written and deduplicated later).
    private readonly bool _probe;
    private readonly ConcurrentDictionary<string, byte> _adopted = new(StringComparer.Ordinal);
    private readonly Channel<byte[]> _freeSlabs = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly List<byte[]> _slabs = [];

    // Per slab (by its index in _slabs): writers that have yet to pass its release.
    private readonly int[] _releasesPending = new int[SlabCount];
    private readonly List<Writer> _writers = [];
    private byte[]? _slab;
    private int _slabUsed;
    private volatile Exception? _failure;

    /// <summary>
    /// Writer threads a pipeline may start: <see cref="DefaultMaxWriters"/>, or 1 for the store
    /// bench's arm that measures the reader as it was before the second writer, and for tests.
    /// </summary>
    internal static int MaxWriters { get; set; } = DefaultMaxWriters;

    private static long _secondWritersStarted;

    /// <summary>Pipelines that started their second writer (since the process started), for tests.</summary>
    internal static long SecondWritersStarted => Interlocked.Read(ref _secondWritersStarted);

    public StagingPipeline(StagingWriter writer, IKnownContent? known)
    {
        _writer = writer;
        _known = known;
        _probe = known?.MayHoldAny() ?? false;
        StartWriter();
    }

    public ValueTask CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        EnqueueAsync(NextWriter(), new StagingJob(StagingJobKind.Directory, path, null, false, null, 0, 0), cancellationToken);

    /// <summary>Queues a link of the known content <paramref name="node"/> names (its sha256 is set); the writer rejects the bundle when that content is gone.</summary>
    public ValueTask LinkKnownAsync(string path, BundleTree.Node node, bool executable, CancellationToken cancellationToken) =>
        EnqueueAsync(NextWriter(), new StagingJob(StagingJobKind.Reference, path, node, executable, null, 0, 0), cancellationToken);

    /// <summary>
    /// Reads the entry's data (up to <paramref name="length"/> bytes) and queues its file; the
    /// writer thread sets <see cref="BundleTree.Node.Sha256"/>. Returns the bytes read: fewer than
    /// <paramref name="length"/> means the input ended early (the caller rejects the bundle).
    /// </summary>
    public async ValueTask<long> AddFileAsync(string path, BundleTree.Node node, TarStreamReader data, long length, bool executable, CancellationToken cancellationToken)
    {
        var writer = NextWriter();
        if (length <= SlabBytes)
        {
            var size = (int)length;
            var (slab, offset) = await ReserveAsync(size, cancellationToken).ConfigureAwait(false);
            var got = await data.ReadDataFullyAsync(slab.AsMemory(offset, size), cancellationToken).ConfigureAwait(false);
            _slabUsed += got;
            if (got == size)
            {
                if (writer.Queued > HashHereAbove)
                {
                    // Even the shorter queue is long (the file calls cost more than the parse): take the hashing off it.
                    node.Sha256 = Sha256Hex(slab.AsSpan(offset, got));
                }

                await EnqueueAsync(writer, new StagingJob(StagingJobKind.File, path, node, executable, slab, offset, got), cancellationToken).ConfigureAwait(false);
            }

            return got;
        }

        await EnqueueAsync(writer, new StagingJob(StagingJobKind.Open, path, node, executable, null, 0, 0), cancellationToken).ConfigureAwait(false);
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
            await EnqueueAsync(writer, new StagingJob(StagingJobKind.Chunk, path, node, executable, slab, offset, n), cancellationToken).ConfigureAwait(false);
        }

        await EnqueueAsync(writer, new StagingJob(StagingJobKind.Close, path, node, executable, null, 0, 0), cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <summary>Waits until every queued file is on disk (and hashed); rethrows the writer's failure.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await ReleaseCurrentSlabAsync(cancellationToken).ConfigureAwait(false);
        await StopWritersAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed();
    }

    /// <summary>
    /// Lets the writer finish what is queued (at most the slabs' worth, as the reader before it
    /// wrote each file as it went) and waits for it, so nothing writes into staging afterwards.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopWritersAsync().ConfigureAwait(false);
        foreach (var slab in _slabs)
        {
            ArrayPool<byte>.Shared.Return(slab);
        }

        _slabs.Clear();
    }

    private Task StopWritersAsync()
    {
        foreach (var writer in _writers)
        {
            writer.Jobs.Writer.TryComplete();
        }

        return Task.WhenAll(_writers.Select(w => w.Stopped.Task));
    }

    /// <summary>The writer with the shorter queue; starts the second when the first is behind.</summary>
    private Writer NextWriter()
    {
        var first = _writers[0];
        if (_writers.Count == 1)
        {
            if (first.Queued <= SecondWriterAbove || _maxWriters < 2)
            {
                return first;
            }

            Interlocked.Increment(ref _secondWritersStarted);
            return StartWriter();
        }

        var second = _writers[1];
        return second.Queued < first.Queued ? second : first;
    }

    private Writer StartWriter()
    {
        var writer = new Writer();
        _writers.Add(writer);
        new Thread(() => Run(writer)) { IsBackground = true, Name = "spiro staging writer" }.Start();
        return writer;
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
            // Queued after the slab's last job on every writer: the last writer to pass it frees it.
            var slab = _slab;
            var index = _slabs.IndexOf(slab);
            _slab = null;
            Volatile.Write(ref _releasesPending[index], _writers.Count);
            foreach (var writer in _writers)
            {
                await writer.Jobs.Writer.WriteAsync(new StagingJob(StagingJobKind.ReleaseSlab, null, null, false, slab, index, 0), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask EnqueueAsync(Writer writer, StagingJob job, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await writer.Jobs.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void Run(Writer writer)
    {
        var jobs = writer.Jobs.Reader;
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
                    if (Interlocked.Decrement(ref _releasesPending[job.Offset]) == 0)
                    {
                        _freeSlabs.Writer.TryWrite(job.Slab!);
                    }
                }
                else if (_failure is null)
                {
                    try
                    {
                        Execute(writer, job);
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
            writer.CloseStream();
            writer.StreamHash?.Dispose();
            writer.Stopped.SetResult();
        }
    }

    private void Execute(Writer writer, in StagingJob job)
    {
        switch (job.Kind)
        {
            case StagingJobKind.Directory:
                _writer.CreateDirectory(job.Path!);
                break;
            case StagingJobKind.File:
                var content = job.Content;
                var sha256 = job.Node!.Sha256 ??= Sha256Hex(content);
                if (_known is not null && (_probe || _adopted.ContainsKey(sha256)) && _writer.TryLinkKnown(job.Path!, sha256, job.Executable, _known))
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
                writer.StreamFd = _writer.OpenNew(job.Path!, job.Executable);
                writer.StreamPath = job.Path;
                writer.StreamHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
            case StagingJobKind.Chunk:
                writer.StreamHash!.AppendData(job.Content);
                StagingWriter.Append(writer.StreamFd, writer.StreamPath!, job.Content);
                break;
            case StagingJobKind.Close:
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                writer.StreamHash!.GetHashAndReset(hash);
                job.Node!.Sha256 = Convert.ToHexStringLower(hash);
                writer.CloseStream();
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
            _adopted.TryAdd(node.Sha256!, 0);
        }
    }


    private static string Sha256Hex(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>One writer thread: its queue, and the file it is streaming (Open, Chunk..., Close).</summary>
    private sealed class Writer
    {
        public Channel<StagingJob> Jobs { get; } = Channel.CreateBounded<StagingJob>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Queued => Jobs.Reader.Count;

        public int StreamFd { get; set; } = -1;

        public string? StreamPath { get; set; }

        public IncrementalHash? StreamHash { get; set; }

        public void CloseStream()
        {
            if (StreamFd >= 0)
            {
                _ = Releases.Layout.Posix.Close(StreamFd);
                StreamFd = -1;
            }
        }
    }
}
