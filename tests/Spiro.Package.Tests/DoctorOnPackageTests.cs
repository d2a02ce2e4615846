using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace Spiro.Package.Tests;

/// <summary>The installed <c>spiro doctor</c> passes the packaged config once enabled, and names each breakage with its fix.</summary>
[Collection(OneInstallAtATime.Name)]
public sealed class DoctorOnPackageTests
{
    [PackageFact]
    public void Doctor_PassesTheEnabledPackagedConfig_AndFailsTheRightCheckWithItsFixForEachBrokenVariant()
    {
        using var install = PackageInstall.Start();
        Assert.Contains("spiro doctor", install.InstallOutput);

        using (var lab = new DoctorLab())
        {
            var (exitCode, findings, output) = lab.Doctor();
            Assert.True(exitCode == 0, $"doctor on the right config exited {exitCode}:\n{output}");
            Assert.DoesNotContain(findings, f => f.Status == "fail");
            foreach (var check in new[] { "adapter", "module_dirs", "fileserver_backend", "spiro_data", "engine", "port", "tls", "salt", "audit", "manifests" })
            {
                Assert.Contains(findings, f => f.Check == check && f.Status == "ok");
            }
        }

        Broken("adapter", "spiro salt install --dir", lab =>
        {
            var copy = Path.Combine(lab.Root, "modules");
            CopyDirectory("/usr/share/spirofs/salt", copy);
            File.AppendAllText(Path.Combine(copy, "engines", "spiro.py"), "\n# edited\n");
            lab.SpiroConf = lab.SpiroConf.Replace("  - /usr/share/spirofs/salt", "  - " + copy, StringComparison.Ordinal);
        });
        Broken("module_dirs", "/usr/share/spirofs/salt", lab =>
            lab.SpiroConf = lab.SpiroConf.Replace("module_dirs:\n  - /usr/share/spirofs/salt\n", "", StringComparison.Ordinal));
        Broken("fileserver_backend", "fileserver_backend", lab =>
            lab.SpiroConf = lab.SpiroConf.Replace("  - roots\n  - spiro\n", "  - roots\n", StringComparison.Ordinal));
        Broken("spiro_data", "install -d", lab => Directory.Delete(lab.Data, recursive: true));
        Broken("spiro_data", "chown", lab => lab.Master = "user: nobody\n");
        Broken("engine", "ssl_crt and ssl_key", lab =>
            lab.SpiroConf = lab.SpiroConf.Replace($"      ssl_key: {lab.KeyFile}\n", "", StringComparison.Ordinal));
        using (var squatter = new TcpListener(IPAddress.Loopback, 0))
        {
            squatter.Start();
            var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
            Broken("port", "choose another port", lab =>
                lab.SpiroConf = lab.SpiroConf.Replace($"port: {lab.Port}", $"port: {taken}", StringComparison.Ordinal));
        }

        Broken("tls", "existing PEM files", lab => File.Delete(lab.CertFile));
        Broken("tls", "private key the certificate was issued for", lab =>
            DoctorLab.WriteCertificate(lab.CertFile, Path.Combine(lab.Root, "other.key"), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90)));
        Broken("tls", "renew", lab =>
            DoctorLab.WriteCertificate(lab.CertFile, lab.KeyFile, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1)));
        Broken("salt", "salt_command", lab =>
            lab.SpiroConf = lab.SpiroConf.Replace($"salt_command: {lab.Salt}", "salt_command: /nonexistent/salt", StringComparison.Ordinal));
        Broken("audit", "restore it from a backup", lab =>
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(lab.Data, "spiro.db")}"))
            {
                connection.Open();
                using var forge = connection.CreateCommand();
                forge.CommandText = "UPDATE audit_log SET detail = 'forged' WHERE seq = 1";
                Assert.Equal(1, forge.ExecuteNonQuery());
            }

            SqliteConnection.ClearAllPools();
        });
        Broken("manifests", "spiro rollback", lab => File.Delete(Path.Combine(lab.Data, "manifests", lab.LiveRelease() + ".json")));
    }

    [PackageFact]
    public void Doctor_WarnsButPassesWhenTheCertificateExpiresWithinThirtyDays()
    {
        using var install = PackageInstall.Start();
        using var lab = new DoctorLab();
        DoctorLab.WriteCertificate(lab.CertFile, lab.KeyFile, DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddDays(10));
        var (exitCode, findings, output) = lab.Doctor();
        Assert.True(exitCode == 0, output);
        Assert.Contains(findings, f => f.Check == "tls" && f.Status == "warn" && f.Fix!.Contains("renew", StringComparison.Ordinal));
    }

    private static void Broken(string check, string fix, Action<DoctorLab> breakIt)
    {
        using var lab = new DoctorLab();
        breakIt(lab);
        var (exitCode, findings, output) = lab.Doctor();
        var context = $"variant '{check}' ({fix}):\n{output}";
        Assert.True(exitCode == 1, $"doctor exited {exitCode} for {context}");
        Assert.True(findings.Any(f => f.Check == check && f.Status == "fail" && f.Fix is not null && f.Fix.Contains(fix, StringComparison.Ordinal)),
            $"no failed '{check}' check whose fix names '{fix}' in {context}");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*.py", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
