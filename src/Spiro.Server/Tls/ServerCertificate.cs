using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Server.Tls;

/// <summary>The server certificate loaded from PEM files: the leaf with its key, and any intermediates after it.</summary>
internal sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain)
{
    /// <summary>Loads the pair; a missing or unreadable file is an error message naming it (never a fallback to HTTP).</summary>
    public static ServerCertificate Load(string certificateFile, string keyFile)
    {
        foreach (var file in new[] { certificateFile, keyFile })
        {
            if (!File.Exists(file))
            {
                throw new ServerStartupException($"TLS file '{file}' does not exist; refusing to start without the configured certificate");
            }
        }

        try
        {
            var leaf = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificateFile);
            var chain = new X509Certificate2Collection();
            foreach (var certificate in all.Skip(1))
            {
                chain.Add(certificate);
            }

            return new ServerCertificate(leaf, chain);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ServerStartupException($"TLS certificate '{certificateFile}' with key '{keyFile}' cannot be read: {e.Message}");
        }
    }
}
