using System.Buffers;
using System.Collections.Concurrent;

namespace Spiro.Server.Transport;

/// <summary>
/// Kestrel's memory pool with blocks of <see cref="BlockBytes"/> instead of its 4 KiB: the socket
/// transport receives into whatever block the pool hands out, so a bundle upload costs one
/// <c>recvfrom(2)</c> (and one wake-up of the reader) per block's worth of data that has arrived
/// instead of one per 4 KiB (bench/README.md, sixth round). At most
/// <see cref="MaxIdleBlocks"/> returned blocks are kept; the rest are left to the GC, so an
/// upload burst does not stay resident.
/// </summary>
internal sealed class ReceiveBlockPool : MemoryPool<byte>
{
    /// <summary>Block size: 64 KiB, what loopback and a fast network deliver between two receives.</summary>
    internal const int BlockBytes = 64 * 1024;

    /// <summary>Idle blocks kept for reuse by one pool: 4 MiB, enough for a few uploads in flight at Kestrel's 1 MiB request buffer each.</summary>
    internal const int MaxIdleBlocks = 64;

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount;
    private int _outstanding;
    private bool _disposed;

    public override int MaxBufferSize => BlockBytes;

    /// <summary>Blocks held for reuse right now (tests check the bound).</summary>
    internal int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>Pooled blocks rented and not yet returned (tests check that idle connections hold none).</summary>
    internal int Outstanding => Volatile.Read(ref _outstanding);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (minBufferSize > BlockBytes)
        {
            // Kestrel never asks for more than MaxBufferSize; anything else gets a block of its own, not pooled.
            return new Block(null, minBufferSize);
        }

        Interlocked.Increment(ref _outstanding);
        if (_idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            block.Rented();
            return block;
        }

        return new Block(this, BlockBytes);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _idle.Clear();
    }

    private void Return(Block block)
    {
        Interlocked.Decrement(ref _outstanding);
        if (_disposed)
        {
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdleBlocks)
        {
            Interlocked.Decrement(ref _idleCount);
            return;
        }

        _idle.Enqueue(block);
    }

    /// <summary>A pinned array (sockets pin what they receive into; pinned at allocation, there is nothing to pin per call).</summary>
    private sealed class Block(ReceiveBlockPool? pool, int length) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        private int _returned;

        public Memory<byte> Memory => _array;

        public void Rented() => _returned = 0;

        public void Dispose()
        {
            // A second Dispose must not put the block in the queue twice (two owners of one buffer).
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool?.Return(this);
            }
        }
    }
}
