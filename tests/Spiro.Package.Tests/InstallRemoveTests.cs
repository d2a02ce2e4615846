using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spiro.Package.Tests;

/// <summary>dpkg -i puts every part in place with one version; dpkg -r keeps the data; dpkg -P drops the conffiles.</summary>
[Collection(OneInstallAtATime.Name)]
public sealed class InstallRemoveTests
{
    [PackageFact]
    public void Install_PutsEveryPartInPlace_RemoveKeepsTheDataDirectory_PurgeDropsTheConffiles()
    {
        using var install = PackageInstall.Start();
        var version = Run.Ok("/usr/bin/spiro", "--version").Stdout.Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.Equal(version, Run.Ok("/usr/bin/spiro-deploy", "--version").Stdout.Trim());
        Assert.Equal(version, Run.Ok("dpkg-query", "-W", "-f=${Version}", PackageInstall.Package).Stdout);
        Assert.Equal($"spirofs_{version}_amd64.deb", Path.GetFileName(PackageInstall.Deb));
        Assert.Equal(version, InfoVersion());

        Assert.Equal("/usr/share/man/man1/spiro.1.gz", Run.Ok("man", "-w", "spiro").Stdout.Trim());
        Assert.Equal("/usr/share/man/man1/spiro-deploy.1.gz", Run.Ok("man", "-w", "spiro-deploy").Stdout.Trim());
        var page = Run.Command("man", ["-P", "cat", "spiro"], new Dictionary<string, string> { ["MANWIDTH"] = "200" });
        Assert.Contains("spiro token issue", page.Stdout);
        Assert.Contains("spiro doctor", page.Stdout);

        Assert.Equal(["token"], Complete("spiro", "spiro tok"));
        Assert.Contains("--no-highstate", Complete("spiro-deploy", "spiro-deploy --no-"));

        var conffiles = Run.Ok("dpkg-query", "-W", "-f=${Conffiles}", PackageInstall.Package).Stdout;
        Assert.Contains("/etc/salt/master.d/spiro.conf", conffiles);
        Assert.Contains("/etc/spirofs/serve.yaml", conffiles);
        var conf = File.ReadAllText("/etc/salt/master.d/spiro.conf");
        foreach (var key in new[] { "module_dirs", "fileserver_backend", "engines" })
        {
            Assert.Contains("#" + key + ":", conf);
            Assert.DoesNotMatch(new Regex("^" + key + ":", RegexOptions.Multiline), conf);
        }

        foreach (var module in new[] { "fileserver", "runners", "engines" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(RepoRoot, "salt", module, "spiro.py")), File.ReadAllBytes($"/usr/share/spirofs/salt/{module}/spiro.py"));
        }

        var unit = File.ReadAllText("/lib/systemd/system/spiro.service");
        foreach (var line in new[] { "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ReadWritePaths=/var/cache/salt/master/spirofs", "User=salt", "Group=salt" })
        {
            Assert.Contains(line + "\n", unit);
        }

        Assert.False(File.Exists("/etc/systemd/system/multi-user.target.wants/spiro.service"), "spiro.service must be disabled by default");
        const string data = "/var/cache/salt/master/spirofs";
        Assert.True(Directory.Exists(data), "postinst creates the data directory");
        Run.Ok("/usr/bin/spiro", "token", "issue", "kept", "--data", data);

        var remove = PackageInstall.Dpkg("-r", PackageInstall.Package);
        Assert.True(remove.ExitCode == 0, remove.All);
        foreach (var gone in new[] { "/usr/bin/spiro", "/usr/bin/spiro-deploy", "/usr/lib/spirofs", "/usr/share/spirofs", "/usr/share/man/man1/spiro.1.gz", "/lib/systemd/system/spiro.service", "/usr/share/bash-completion/completions/spiro" })
        {
            Assert.False(Path.Exists(gone), $"dpkg -r left {gone}");
        }

        Assert.True(File.Exists("/etc/salt/master.d/spiro.conf"), "dpkg -r keeps the conffile");
        Assert.True(File.Exists(Path.Combine(data, "spiro.db")), "dpkg -r keeps the data directory");

        var purge = PackageInstall.Dpkg("-P", PackageInstall.Package);
        Assert.True(purge.ExitCode == 0, purge.All);
        Assert.False(File.Exists("/etc/salt/master.d/spiro.conf"), "dpkg -P removes the conffile");
        Assert.False(File.Exists("/etc/spirofs/serve.yaml"), "dpkg -P removes serve.yaml");
        Assert.True(File.Exists(Path.Combine(data, "spiro.db")), "the data directory survives a purge too (docs/install.md)");
    }

    private static string RepoRoot =>
        typeof(InstallRemoveTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    // What bash completion offers for LINE with the cursor at its end, through the installed file.
    private static List<string> Complete(string command, string line)
    {
        var words = line.Split(' ');
        var script = $$"""
            source /usr/share/bash-completion/completions/{{command}}
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
            _spirofs_complete {{command}}
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        return Run.Ok("bash", "-c", script).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    // The installed server's /api/v1/info version, from a real `spiro serve` on a loopback port.
    private static string InfoVersion()
    {
        var data = Directory.CreateTempSubdirectory("spiro-info-").FullName;
        var port = DoctorLab.FreePort();
        using var server = Process.Start(new ProcessStartInfo("/usr/bin/spiro", ["serve", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    using var info = JsonDocument.Parse(http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/v1/info")).Result);
                    return info.RootElement.GetProperty("version").GetString()!;
                }
                catch (AggregateException) when (DateTime.UtcNow < deadline && !server.HasExited)
                {
                    Thread.Sleep(200);
                }
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            Directory.Delete(data, recursive: true);
        }
    }
}
