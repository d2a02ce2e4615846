using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Spiro.Server.Tests.Support;
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
    public async Task ManyHttp2StreamsOnOneConnection_HoldBlocksForAtMostTheStreamLimit()
    {
        const int Streams = 64;
        var directory = Directory.CreateTempSubdirectory("spiro-h2-").FullName;
        try
        {
            var certificate = Spiro.Testing.TestCertificate.Create(directory);
            await using var server = await TestServer.StartAsync(configure: o => o with { SslCrt = certificate.CertificateFile, SslKey = certificate.KeyFile });
            var pools = (ReceiveBlockPoolFactory)server.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>();
            await using var client = await RawHttp2.ConnectAsync(server.Url, certificate.CaFile);

            // The client's stream window is 0: every answered stream's "ok" stays in the server, in a
            // block of the stream's own response pipe, until the connection goes. Streams past the
            // limit are refused; without a limit all 64 are answered and hold a block each.
            await client.GetOnStreamsAsync("/healthz", Streams, server.Url.Authority);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var answered = await client.WaitForAnswersAsync(Streams, timeout.Token);

            Assert.True(pools.Outstanding <= SpiroServer.MaxHttp2StreamsPerConnection + 8, $"{pools.Outstanding} receive blocks are held by one connection with {Streams} streams opened");
            Assert.True(answered <= SpiroServer.MaxHttp2StreamsPerConnection, $"{answered} of {Streams} streams were answered at once");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
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
    public void IdleBlocks_AreReleasedAfterTheIdleLifetime_AndTheTimerStopsWhenNoneAreLeft()
    {
        var clock = new ManualClock();
        using var pool = new ReceiveBlockPool(clock);
        var blocks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        clock.Advance(ReceiveBlockPool.IdleLifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(3, pool.IdleCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, pool.IdleCount);
        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact]
    public void Sweep_KeepsABlockReturnedLater_UntilItsOwnLifetimeIsOver()
    {
        var clock = new ManualClock();
        using var pool = new ReceiveBlockPool(clock);
        var early = pool.Rent();
        var late = pool.Rent();
        early.Dispose();
        clock.Advance(TimeSpan.FromSeconds(4));
        late.Dispose();

        clock.Advance(ReceiveBlockPool.IdleLifetime - TimeSpan.FromSeconds(4));
        Assert.Equal(1, pool.IdleCount);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, pool.IdleCount);
        Assert.Equal(0, clock.ArmedTimers);
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
