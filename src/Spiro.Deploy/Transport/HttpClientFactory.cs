using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Deploy.Transport;

/// <summary>
/// The one HttpClient of a run: TLS trust from --insecure/--ssl-cert, TCP keepalive so a long silent
/// highstate does not lose the connection to idle NAT or firewall timeouts, no overall timeout
/// (the event stream lasts as long as the highstate; --timeout cancels instead).
/// </summary>
internal static class HttpClientFactory
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    public static HttpClient Create(bool insecure, string? trustedCertificateFile)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            ConnectCallback = ConnectWithKeepAliveAsync,
            Expect100ContinueTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        if (insecure)
        {
            // --insecure is the user's explicit, documented choice (the original client had it too).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (trustedCertificateFile is not null)
        {
            var trusted = LoadCertificates(trustedCertificateFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                Validate(certificate, errors, trusted);
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>PEM (one or more certificates) or a single DER certificate.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            collection.Clear();
        }

        if (collection.Count == 0)
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return collection;
    }

    /// <summary>The host name must match; the chain must end in one of the given certificates, or the server's certificate is one of them.</summary>
    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        foreach (var candidate in trusted)
        {
            if (candidate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                return true;
            }
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.ExtraStore.AddRange(trusted);
        return chain.Build(leaf);
    }

    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 5);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
