using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiro.Server.Tests.Support;

namespace Spiro.Server.Tests.Tls;

public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spiro-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Https_WithGeneratedChainCertificate_ServesAuthOk()
    {
        var (crt, key, leaf) = WriteChainCertificate();
        await using var server = await TestServer.StartAsync(configure: o => o with { SslCrt = crt, SslKey = key });
        var token = server.Issue(["foo"]);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            certificate is not null && certificate.GetCertHashString() == leaf.GetCertHashString() && chain!.ChainElements.Count >= 1;
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Authorization", $"bearer {token}");

        using var response = await client.SendAsync(request);

        Assert.StartsWith("https://", server.BaseAddress.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Auth OK", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Https_AnswersATls12ClientHello_ButNotTheSameHelloAsTls11()
    {
        var (crt, key, _) = WriteChainCertificate();
        await using var server = await TestServer.StartAsync(configure: o => o with { SslCrt = crt, SslKey = key });

        // Hand-made ClientHellos, so the client side's own OpenSSL policy cannot mask the server's answer.
        var tls12 = await FirstRecordTypeAsync(server.BaseAddress.Port, ClientHello(minor: 3));
        var tls11 = await FirstRecordTypeAsync(server.BaseAddress.Port, ClientHello(minor: 2));

        Assert.Equal(0x16, tls12);
        Assert.NotEqual(0x16, tls11);
    }

    [Fact]
    public void Build_WithUnreadableCertificate_StopsNamingTheFile()
    {
        var crt = Path.Combine(_directory, "garbage.crt");
        var key = Path.Combine(_directory, "garbage.key");
        File.WriteAllText(crt, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        File.WriteAllText(key, "nope");
        var options = new Spiro.Server.Options.ServerOptions { Host = "127.0.0.1", Port = 0, Data = Path.Combine(_directory, "data"), SslCrt = crt, SslKey = key };

        var error = Assert.Throws<ServerStartupException>(() => SpiroServer.Build(options, new ScriptedHighstate()));

        Assert.Contains(crt, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The content type of the server's first record (0x16 handshake, 0x15 alert), or -1 when it closed.</summary>
    private static async Task<int> FirstRecordTypeAsync(int port, byte[] hello)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(hello);
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await stream.ReadAsync(buffer, timeout.Token) == 1 ? buffer[0] : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static byte[] ClientHello(byte minor)
    {
        // ECDHE-RSA-AES128-GCM-SHA256, RSA-AES128-GCM-SHA256, and CBC suites a TLS 1.1 server could pick.
        byte[] suites = [0xc0, 0x2f, 0x00, 0x9c, 0xc0, 0x13, 0x00, 0x2f, 0x00, 0x35];
        byte[] extensions =
        [
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, // supported_groups: x25519, secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,                         // ec_point_formats: uncompressed
            0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x01, 0x08, 0x04, 0x02, 0x01, // signature_algorithms
        ];
        var body = new List<byte> { 0x03, minor };
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        body.Add(0);
        body.AddRange([0x00, (byte)suites.Length]);
        body.AddRange(suites);
        body.AddRange([0x01, 0x00]);
        body.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        body.AddRange(extensions);
        var handshake = new List<byte> { 0x01, 0x00, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return [.. record];
    }

    /// <summary>A CA and a leaf it signed; the certificate file holds leaf then CA (a chain), the key file the leaf key.</summary>
    private (string Crt, string Key, X509Certificate2 Leaf) WriteChainCertificate()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Spiro Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));

        var crt = Path.Combine(_directory, "server.crt");
        var key = Path.Combine(_directory, "server.key");
        File.WriteAllText(crt, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(key, leafKey.ExportPkcs8PrivateKeyPem());
        return (crt, key, leaf);
    }
}
