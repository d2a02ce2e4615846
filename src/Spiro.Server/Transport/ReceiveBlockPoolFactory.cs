using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Spiro.Server.Transport;

/// <summary>Hands Kestrel (the socket transport and TLS) <see cref="ReceiveBlockPool"/>s instead of its 4 KiB-block pools.</summary>
internal sealed class ReceiveBlockPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly System.Collections.Concurrent.ConcurrentBag<ReceiveBlockPool> _pools = [];

    /// <summary>Blocks rented from every pool made here and not yet returned.</summary>
    internal int Outstanding => _pools.Sum(pool => pool.Outstanding);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new ReceiveBlockPool();
        _pools.Add(pool);
        return pool;
    }
}
