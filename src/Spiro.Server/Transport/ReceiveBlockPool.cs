using System.Buffers;
using System.Collections.Concurrent;

namespace Spiro.Server.Transport;

/// <summary>
/// Kestrel's memory pool with blocks of <see cref="BlockBytes"/> instead of its 4 KiB: the socket
/// transport receives into whatever block the pool hands out, so a bundle upload costs one
/// <c>recvfrom(2)</c> (and one wake-up of the reader) per block's worth of data that has arrived
/// instead of one per 4 KiB (bench/README.md, sixth round). At most
/// <see cref="MaxIdleBlocks"/> returned blocks are kept; the rest are left to the GC, so an
/// upload burst does not stay resident. A kept block that nobody rents for
/// <see cref="IdleLifetime"/> is released too, so a quiet server does not keep 4 MiB pinned.
/// </summary>
internal sealed class ReceiveBlockPool : MemoryPool<byte>
{
    /// <summary>How long a returned block may wait in the pool before it is released: 10 s, what Kestrel's own pool keeps an unused block for, give or take.</summary>
    internal static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(10);

    /// <summary>Block size: 64 KiB, what loopback and a fast network deliver between two receives.</summary>
    internal const int BlockBytes = 64 * 1024;

    /// <summary>Idle blocks kept for reuse by one pool: 4 MiB, enough for a few uploads in flight at Kestrel's 1 MiB request buffer each.</summary>
    internal const int MaxIdleBlocks = 64;

    private readonly ConcurrentQueue<Block> _idle = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private int _idleCount;
    private int _outstanding;
    private int _sweepArmed;
    private bool _disposed;

    /// <param name="time">Clock for <see cref="IdleLifetime"/>; the system clock when null.</param>
    public ReceiveBlockPool(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        // One timer, armed only while blocks wait in the pool: an empty pool costs no wake-ups.
        _sweep = _time.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

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
        _sweep.Dispose();
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

        block.ReturnedAt = _time.GetTimestamp();
        _idle.Enqueue(block);
        if (Volatile.Read(ref _sweepArmed) == 0)
        {
            ArmSweep(IdleLifetime);
        }
    }

    private void ArmSweep(TimeSpan due)
    {
        if (Interlocked.CompareExchange(ref _sweepArmed, 1, 0) == 0 && !_disposed)
        {
            _sweep.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Releases the blocks that waited <see cref="IdleLifetime"/>. Rent takes from the head and
    /// Return adds at the tail, so the head is always the block that has waited longest.
    /// </summary>
    private void Sweep()
    {
        while (_idle.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.ReturnedAt) >= IdleLifetime)
        {
            if (!_idle.TryDequeue(out var block))
            {
                break;
            }

            if (_time.GetElapsedTime(block.ReturnedAt) < IdleLifetime)
            {
                // A Rent took the peeked block first: this one is younger and stays.
                _idle.Enqueue(block);
                break;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        // Disarm before looking at the queue: a Return that enqueues meanwhile then arms the timer itself.
        Interlocked.Exchange(ref _sweepArmed, 0);
        if (_idle.TryPeek(out var next))
        {
            ArmSweep(IdleLifetime - _time.GetElapsedTime(next.ReturnedAt) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    /// <summary>A pinned array (sockets pin what they receive into; pinned at allocation, there is nothing to pin per call).</summary>
    private sealed class Block(ReceiveBlockPool? pool, int length) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(length, pinned: true);
        private int _returned;

        public Memory<byte> Memory => _array;

        /// <summary>When the block last came back to the pool (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long ReturnedAt { get; set; }

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
