using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spiro.Package.Tests;

/// <summary>
/// A salt-master config directory built from the installed /etc/salt/master.d/spiro.conf with its
/// three blocks uncommented, plus what it points at: a data directory with one live release, a
/// certificate and key, a free port and a stand-in <c>salt</c>. Tests break one thing and run the
/// installed <c>spiro doctor -c</c> on it.
/// </summary>
internal sealed partial class DoctorLab : IDisposable
{
    public DoctorLab()
    {
        Root = Directory.CreateTempSubdirectory("spiro-doctor-").FullName;
        Directory.CreateDirectory(ConfigDir + "/master.d");
        Directory.CreateDirectory(Data);
        File.SetUnixFileMode(Data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        Master = "user: root\n";
        Port = FreePort();
        WriteCertificate(CertFile, KeyFile, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
        File.WriteAllText(Salt, "#!/bin/sh\ncase \"$1\" in --version) echo 'salt 3006.0 (Sulfur)' ;; *) printf '{\\n    \"m1\": true\\n}\\n' ;; esac\n");
        File.SetUnixFileMode(Salt, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var packaged = File.ReadAllText("/etc/salt/master.d/spiro.conf");
        SpiroConf = Uncommented().Replace(packaged, "")
            .Replace("      config: /etc/spirofs/serve.yaml\n", $"      config: /etc/spirofs/serve.yaml\n      port: {Port}\n      ssl_crt: {CertFile}\n      ssl_key: {KeyFile}\n      salt_command: {Salt}\n", StringComparison.Ordinal)
            .Replace("spiro_data: /var/cache/salt/master/spirofs", $"spiro_data: {Data}", StringComparison.Ordinal);
        Assert.Contains($"salt_command: {Salt}", SpiroConf);
        Assert.Contains($"spiro_data: {Data}", SpiroConf);
        Run.Ok("/usr/bin/spiro", "token", "issue", "foo", "--label", "doctor-test", "--data", Data);
        var bundle = Path.Combine(Root, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "init.sls"), "hello: {test.nop: []}\n");
        Run.Ok("tar", "-cf", bundle + ".tar", "-C", bundle, ".");
        // The packaged spiro is built without the test-only fault points (src/Spiro.Core/Releases/Publishing/FaultPoints.cs):
        // the variable that kills a test build at a publish step does nothing here.
        var publish = Run.Command("/usr/bin/spiro", ["publish", "foo/dev", bundle + ".tar", "--data", Data], new Dictionary<string, string> { ["SPIRO_FAULT_KILL_AT"] = "extract" });
        Assert.True(publish.ExitCode == 0, $"the packaged spiro publish with SPIRO_FAULT_KILL_AT=extract exited {publish.ExitCode}:\n{publish.All}");
    }

    public string Root { get; }

    public string ConfigDir => Path.Combine(Root, "etc");

    public string Data => Path.Combine(Root, "data");

    public string CertFile => Path.Combine(Root, "spiro.crt");

    public string KeyFile => Path.Combine(Root, "spiro.key");

    public string Salt => Path.Combine(Root, "salt");

    public int Port { get; }

    /// <summary>DIR/master; written by <see cref="Doctor"/>.</summary>
    public string Master { get; set; }

    /// <summary>DIR/master.d/spiro.conf; written by <see cref="Doctor"/>.</summary>
    public string SpiroConf { get; set; }

    /// <summary>Writes the config and runs the installed <c>spiro doctor -c DIR --json</c>.</summary>
    public (int ExitCode, List<(string Check, string Status, string Message, string? Fix)> Findings, string Output) Doctor()
    {
        File.WriteAllText(Path.Combine(ConfigDir, "master"), Master);
        File.WriteAllText(Path.Combine(ConfigDir, "master.d", "spiro.conf"), SpiroConf);
        var result = Run.Command("/usr/bin/spiro", "doctor", "-c", ConfigDir, "--json");
        using var json = JsonDocument.Parse(result.Stdout);
        var findings = json.RootElement.GetProperty("checks").EnumerateArray()
            .Select(c => (c.GetProperty("check").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("message").GetString()!, c.GetProperty("fix").GetString()))
            .ToList();
        return (result.ExitCode, findings, result.All);
    }

    public string LiveRelease() => Path.GetFileName(Directory.ResolveLinkTarget(Path.Combine(Data, "envs", "foo", "dev"), returnFinalTarget: false)!.FullName);

    public static void WriteCertificate(string certFile, string keyFile, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=spiro-doctor-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Root} (port {Port})");

    // The packaged conffile's commented YAML: "#key:" and "#  - item"; prose comments are "# text".
    [GeneratedRegex(@"^#(?=[^ \n]|  )", RegexOptions.Multiline)]
    private static partial Regex Uncommented();
}
