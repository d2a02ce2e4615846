using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Testing;

/// <summary>A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost, as PEM files.</summary>
public sealed record TestCertificate(string CaFile, string CertificateFile, string KeyFile)
{
    /// <summary>Writes <c>ca.pem</c>, <paramref name="certificateName"/> and <paramref name="keyName"/> into <paramref name="directory"/>.</summary>
    public static TestCertificate Create(string directory, string certificateName = "server.crt", string keyName = "server.key")
    {
        Directory.CreateDirectory(directory);
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

        var certificate = new TestCertificate(
            Path.Combine(directory, "ca.pem"), Path.Combine(directory, certificateName), Path.Combine(directory, keyName));
        File.WriteAllText(certificate.CaFile, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificate.CertificateFile, server.ExportCertificatePem() + "\n");
        File.WriteAllText(certificate.KeyFile, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        return certificate;
    }
}
