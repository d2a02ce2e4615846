using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Spiro.Server.Tests.Support;

/// <summary>
/// An HTTP/2 client over TLS written frame by frame, so a test can behave as no well-behaved client
/// does: it tells the server it accepts no response data (a stream window of 0) and opens more
/// streams than the server's SETTINGS allow. What each stream's answer holds stays in the server.
/// </summary>
internal sealed class RawHttp2 : IAsyncDisposable
{
    private const byte Headers = 0x1;
    private const byte ResetStream = 0x3;
    private const byte Settings = 0x4;
    private const byte GoAway = 0x7;
    private const byte EndStreamAndHeaders = 0x5;
    private const byte Ack = 0x1;
    private const ushort InitialWindowSize = 0x4;

    private readonly TcpClient _client;
    private readonly SslStream _tls;

    private RawHttp2(TcpClient client, SslStream tls)
    {
        _client = client;
        _tls = tls;
    }

    /// <summary>Connects, negotiates <c>h2</c> by ALPN (trusting the CA in <paramref name="caFile"/>) and sends the preface with a stream window of 0.</summary>
    public static async Task<RawHttp2> ConnectAsync(Uri server, string caFile)
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = server.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
        });
        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            throw new InvalidOperationException($"the server did not agree to h2 (ALPN '{tls.NegotiatedApplicationProtocol}')");
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        var setting = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(setting, InitialWindowSize);
        await tls.WriteAsync(Frame(Settings, 0, 0, setting));
        return new RawHttp2(client, tls);
    }

    /// <summary>Sends <c>GET <paramref name="path"/></c> on each of <paramref name="streams"/> new streams, without waiting between them.</summary>
    public async Task GetOnStreamsAsync(string path, int streams, string authority)
    {
        // HPACK: :method GET and :scheme https from the static table; :path and :authority as
        // literals without indexing (names 4 and 1), so no dynamic table state is involved.
        byte[] block = [0x82, 0x87, 0x04, .. Literal(path), 0x01, .. Literal(authority)];
        var frames = new List<byte>();
        for (var i = 0; i < streams; i++)
        {
            frames.AddRange(Frame(Headers, EndStreamAndHeaders, 1 + (2 * i), block));
        }

        await _tls.WriteAsync(frames.ToArray());
    }

    /// <summary>
    /// Reads frames until <paramref name="streams"/> streams were answered (response headers) or
    /// refused (RST_STREAM), or the server sent GOAWAY; acknowledges the server's SETTINGS.
    /// Returns how many streams got response headers.
    /// </summary>
    public async Task<int> WaitForAnswersAsync(int streams, CancellationToken cancel)
    {
        var answered = new HashSet<int>();
        var refused = new HashSet<int>();
        var header = new byte[9];
        while (answered.Count + refused.Count < streams)
        {
            await _tls.ReadExactlyAsync(header, cancel);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fffffff;
            var payload = new byte[length];
            await _tls.ReadExactlyAsync(payload, cancel);
            switch (header[3])
            {
                case Headers:
                    answered.Add(stream);
                    break;
                case ResetStream:
                    refused.Add(stream);
                    break;
                case Settings when (header[4] & Ack) == 0:
                    await _tls.WriteAsync(Frame(Settings, Ack, 0, []), cancel);
                    break;
                case GoAway:
                    return answered.Count;
            }
        }

        return answered.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _client.Dispose();
    }

    private static byte[] Literal(string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        return bytes.Length < 127 ? [(byte)bytes.Length, .. bytes] : throw new ArgumentException("a short value, one length byte", nameof(value));
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
