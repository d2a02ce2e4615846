using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiro.Cli.Doctor;

/// <summary>The deploy server's certificate and key: present, readable by its user, matching, and not about to expire.</summary>
internal static class TlsCheck
{
    private static readonly TimeSpan Soon = TimeSpan.FromDays(30);

    public static DoctorFinding? Run(DoctorContext context, DateTimeOffset now)
    {
        if (context.Server is not { } server)
        {
            return null;
        }

        if (server.SslCrt is null && server.SslKey is null)
        {
            return DoctorFinding.Warn("tls", $"the deploy server speaks plain HTTP ({context.ServerSource}): tokens and bundles cross the network unencrypted",
                "set ssl_crt and ssl_key (PEM files readable by the server's user), or put a TLS-terminating proxy in front and bind host: 127.0.0.1");
        }

        if (server.SslCrt is null || server.SslKey is null)
        {
            return DoctorFinding.Fail("tls", $"only {(server.SslCrt is null ? "ssl_key" : "ssl_crt")} is set ({context.ServerSource})", "set both ssl_crt and ssl_key, or neither");
        }

        if (Unreadable(context, server.SslCrt, server.SslKey) is { } unreadable)
        {
            return unreadable;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(server.SslCrt, server.SslKey);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A key of another certificate is an ArgumentException; an unreadable PEM a CryptographicException.
            return DoctorFinding.Fail("tls", $"{server.SslKey} does not fit {server.SslCrt}: {e.Message}",
                "use the private key the certificate was issued for (openssl x509 -noout -pubkey -in CRT and openssl pkey -pubout -in KEY must print the same key)");
        }

        using (certificate)
        {
            return Validity(certificate, server.SslCrt, now);
        }
    }

    // Both files exist and the server's user can read them; else the finding that says which does not.
    private static DoctorFinding? Unreadable(DoctorContext context, params string[] files)
    {
        var account = UnixAccess.Lookup(context.ServerUser);
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                return DoctorFinding.Fail("tls", $"{file} does not exist ({context.ServerSource})", "point ssl_crt/ssl_key at existing PEM files");
            }

            if (account is not null && UnixAccess.OwnerOf(file) is { } owner && !UnixAccess.Allows(account, owner, directory: false, write: false))
            {
                return DoctorFinding.Fail("tls", $"the deploy server's user {account.Name} cannot read {file}", $"chgrp {account.Name} {file} && chmod 0640 {file}");
            }
        }

        return null;
    }

    private static DoctorFinding Validity(X509Certificate2 certificate, string crt, DateTimeOffset now)
    {
        var expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var renew = $"renew {crt} and restart the deploy server";
        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return DoctorFinding.Fail("tls", $"{crt} ({subject}) is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", "check the clock, or issue a certificate valid now");
        }

        if (expires <= now)
        {
            return DoctorFinding.Fail("tls", $"{crt} ({subject}) expired on {expires:yyyy-MM-dd}", renew);
        }

        if (expires - now < Soon)
        {
            return DoctorFinding.Warn("tls", $"{crt} ({subject}) expires on {expires:yyyy-MM-dd}, within {Soon.TotalDays:0} days", renew);
        }

        return DoctorFinding.Ok("tls", $"{crt} ({subject}) matches its key, valid until {expires:yyyy-MM-dd}");
    }
}
