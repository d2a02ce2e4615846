using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Server.Transport;

namespace Spiro.Server.Tests.Transport;

public sealed class ReceiveBlockPoolTests
{
    [Fact]
    public async Task Server_GivesKestrelTheLargeBlockPool()
    {
        await using var server = await TestServer.StartAsync();

        // The socket transport takes its pools from this service (set before the server binds).
        Assert.IsType<ReceiveBlockPoolFactory>(server.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
    }

    [Fact]
    public async Task IdleConnections_HoldNoBlock()
    {
        await using var server = await TestServer.StartAsync();
        var pools = (ReceiveBlockPoolFactory)server.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>();
        var idle = new List<System.Net.Sockets.TcpClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync(server.Url.Host, server.Url.Port);
                idle.Add(socket);
            }

            // Kestrel accepts in order: once a request on a later connection is answered, the 50 before it
            // were accepted and their receive loops started (a socket that holds a block while it waits
            // for data would now hold 64 KiB each).
            using (var response = await server.Client.GetAsync(new Uri("healthz", UriKind.Relative)))
            {
                Assert.True(response.IsSuccessStatusCode);
            }

            Assert.True(pools.Outstanding < 10, $"{pools.Outstanding} receive blocks are held with 50 idle connections open");
        }
        finally
        {
            idle.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public void Dispose_OfThePool_ThenOfABlock_KeepsTheCountsRight()
    {
        var pool = new ReceiveBlockPool();
        var block = pool.Rent();
        pool.Dispose();

        block.Dispose();

        Assert.Equal(0, pool.IdleCount);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Rent_GivesWholeBlocks_AndReusesAReturnedOne()
    {
        using var pool = new ReceiveBlockPool();
        var first = pool.Rent(4096);
        var memory = first.Memory;
        first.Dispose();

        using var second = pool.Rent();

        Assert.Equal(ReceiveBlockPool.BlockBytes, memory.Length);
        Assert.True(second.Memory.Span == memory.Span, "the returned block is handed out again");
    }

    [Fact]
    public void Dispose_Twice_ReturnsTheBlockOnce()
    {
        using var pool = new ReceiveBlockPool();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Equal(1, pool.IdleCount);
        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.False(a.Memory.Span == b.Memory.Span, "two renters never share a block");
    }

    [Fact]
    public void Return_KeepsAtMostMaxIdleBlocks()
    {
        using var pool = new ReceiveBlockPool();
        var blocks = Enumerable.Range(0, ReceiveBlockPool.MaxIdleBlocks + 10).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(b => b.Dispose());

        Assert.Equal(ReceiveBlockPool.MaxIdleBlocks, pool.IdleCount);
    }

    [Fact]
    public void Rent_LargerThanABlock_GivesAnUnpooledBufferOfThatSize()
    {
        using var pool = new ReceiveBlockPool();
        var large = pool.Rent(ReceiveBlockPool.BlockBytes + 1);

        large.Dispose();

        Assert.True(large.Memory.Length >= ReceiveBlockPool.BlockBytes + 1);
        Assert.Equal(0, pool.IdleCount);
    }
}
