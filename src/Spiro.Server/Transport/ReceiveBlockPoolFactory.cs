using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Spiro.Server.Transport;

/// <summary>Hands Kestrel (the socket transport and TLS) <see cref="ReceiveBlockPool"/>s instead of its 4 KiB-block pools.</summary>
internal sealed class ReceiveBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new ReceiveBlockPool();
}
