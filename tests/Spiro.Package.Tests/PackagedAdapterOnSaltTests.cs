using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.Package.Tests;

/// <summary>
/// The installed package on a real salt-master (tests/Spiro.Testing's Salt lab): the master loads
/// the adapter from /usr/share/spirofs/salt only, its engine runs the packaged spiro, and the
/// packaged spiro-deploy deploys with highstate; the installed doctor then passes on that master.
/// </summary>
[Collection(OneInstallAtATime.Name)]
public sealed class PackagedAdapterOnSaltTests
{
    private const string PackagedAdapter = "/usr/share/spirofs/salt";

    [PackageFact]
    public async Task PackagedAdapter_OnARealMaster_DeploysWithHighstate_AndDoctorPasses()
    {
        using var install = PackageInstall.Start();
        await using (var lab = await SaltLab.StartAsync(new SaltLabOptions { SpiroCli = "/usr/bin/spiro" }))
        {
            // Only the packaged adapter can load: the lab's own copy is gone.
            Directory.Delete(lab.Layout.ModuleDir, recursive: true);
            lab.WriteMasterConfig("spiro.conf", lab.SeedConfig.Replace(lab.Layout.ModuleDir, PackagedAdapter, StringComparison.Ordinal));
            await lab.RestartMasterAsync();
            var moduleDirs = await lab.SaltRunJsonAsync("salt.cmd", "config.get", "module_dirs");
            Assert.Equal($"[\"{PackagedAdapter}\"]", moduleDirs?.ToJsonString());

            using var project = new TempProject();
            project.Write("_salt/spirotop.sls", "dev:\n  '*':\n    - app\n");
            project.Write("_salt/app/init.sls", """
                packaged-app:
                  file.managed:
                    - name: {{ opts['cachedir'] }}/spiro-tests/packaged/app.conf
                    - source: salt://app/app.conf
                    - makedirs: True
                """);
            project.Write("_salt/app/app.conf", "served by the packaged adapter\n");
            var token = await lab.IssueTokenAsync("packaged");
            var deploy = await ProcessRunner.RunAsync(
                "/usr/bin/spiro-deploy",
                ["--server", lab.SpiroUrl.ToString(), "--ssl-cert", lab.Certificate.CaFile, "--no-color", "packaged", "dev"],
                TimeSpan.FromMinutes(5),
                new Dictionary<string, string> { ["SPIRO_TOKEN"] = token },
                workingDirectory: project.Path);

            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            foreach (var minion in SaltLabLayout.MinionIds)
            {
                var written = Path.Combine(lab.Layout.MinionConfigDir(minion), "cache", "spiro-tests", "packaged", "app.conf");
                Assert.Equal("served by the packaged adapter\n", await File.ReadAllTextAsync(written));
            }

            var doctor = Run.Command("/usr/bin/spiro", ["doctor", "-c", lab.Layout.MasterConfigDir],
                new Dictionary<string, string> { ["PATH"] = lab.Layout.BinDir + ":" + Environment.GetEnvironmentVariable("PATH") });
            Assert.True(doctor.ExitCode == 0, doctor.All);
            Assert.Matches(@"ok\s+port\s+.*answers: SpiroFS", doctor.Stdout);
            Assert.Matches(@"ok\s+salt\s+.*2 minion\(s\) answered", doctor.Stdout);
            Assert.Matches(@"ok\s+manifests\s+1 live saltenv", doctor.Stdout);
        }

        // salt-master (root) left bytecode in the adapter directory; removal still leaves nothing behind.
        var remove = PackageInstall.Dpkg("-r", PackageInstall.Package);
        Assert.True(remove.ExitCode == 0, remove.All);
        Assert.False(Directory.Exists(PackagedAdapter), $"dpkg -r left {PackagedAdapter}");
    }
}
