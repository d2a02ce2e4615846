using System.Net.Sockets;
using System.Text;

namespace Spiro.Server.Tests.Support;

/// <summary>
/// An HTTP/1.1 upload over a bare socket that announces a huge body, sends a prefix and then keeps
/// trickling filler, so a test sees whether the server answers before the body is read.
/// </summary>
internal sealed class RawUpload : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private long _sent;

    private RawUpload(TcpClient client, Func<long, byte[]> filler, byte[] head)
    {
        _client = client;
        _stream = client.GetStream();
        _sender = Task.Run(() => SendAsync(head, filler));
    }

    /// <summary>Bytes written so far (request head included).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public static async Task<RawUpload> StartAsync(Uri server, string path, IEnumerable<string> headers, long contentLength, byte[] prefix, Func<long, byte[]> filler)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append($"Content-Length: {contentLength}\r\n\r\n");
        return new RawUpload(client, filler, [.. Encoding.ASCII.GetBytes(head.ToString()), .. prefix]);
    }

    /// <summary>The response's status line; empty when the server closed the connection without one; null when nothing came within <paramref name="timeout"/>.</summary>
    public async Task<string?> StatusLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var line = new StringBuilder();
        var one = new byte[1];
        try
        {
            while (await _stream.ReadAsync(one, cancel.Token) == 1)
            {
                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }

            return line.ToString();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return line.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        try
        {
            await _sender;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task SendAsync(byte[] head, Func<long, byte[]> filler)
    {
        await _stream.WriteAsync(head, _stop.Token);
        Interlocked.Add(ref _sent, head.Length);
        for (long i = 0; !_stop.IsCancellationRequested; i++)
        {
            var chunk = filler(i);
            await _stream.WriteAsync(chunk, _stop.Token);
            Interlocked.Add(ref _sent, chunk.Length);
            await Task.Delay(10, _stop.Token);
        }
    }
}
