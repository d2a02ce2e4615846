using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Deploy.Tests.Support;

/// <summary>A throwaway CA and a server certificate it signed for 127.0.0.1, written as PEM files.</summary>
internal sealed record TestCertificates(string CaFile, string ServerCertificateFile, string ServerKeyFile)
{
    public static TestCertificates Create(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Spiro Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);

        var caFile = Path.Combine(directory, "ca.pem");
        var certFile = Path.Combine(directory, "server.pem");
        var keyFile = Path.Combine(directory, "server.key");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        File.WriteAllText(certFile, server.ExportCertificatePem());
        File.WriteAllText(keyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return new TestCertificates(caFile, certFile, keyFile);
    }
}
