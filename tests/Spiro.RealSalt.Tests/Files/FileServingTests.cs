using System.Security.Cryptography;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Files;

/// <summary>What the spiro fileserver backend hands real minions, byte for byte.</summary>
[Collection(SaltLabFixture.Collection)]
public sealed class FileServingTests(SaltLabFixture salt)
{
    [SaltFact]
    public async Task BinaryArtifactAndExecutable_ReachTheMinionByteForByte()
    {
        var lab = salt.Lab;
        const string Project = "bytes";
        using var project = new TempProject();
        var artifact = new byte[3 * 1024 * 1024 + 12345];
        new Random(9).NextBytes(artifact);
        project.Write("build/blob.bin", artifact);
        var script = project.Write("_salt/tools/run.sh", "#!/bin/sh\necho spiro\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        project.Write("_salt/spirotop.sls", "dev:\n  'm1':\n    - app\n");
        project.Write("_salt/app/init.sls",
            StateFiles.Managed(Project, "blob.bin", "_artifacts/build/blob.bin")
            + StateFiles.Managed(Project, "run.sh", "tools/run.sh", "    - mode: keep\n"));
        Directory.CreateDirectory(Path.Combine(project.Path, "_salt", "empty", "nothing-here"));

        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev", "--artifact", "build/blob.bin");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var managed = StateFiles.OnMinion(lab, "m1", Project, "blob.bin");
        Assert.Equal(SHA256.HashData(artifact), SHA256.HashData(await File.ReadAllBytesAsync(managed)));
        var runSh = StateFiles.OnMinion(lab, "m1", Project, "run.sh");
        Assert.Equal("#!/bin/sh\necho spiro\n", await File.ReadAllTextAsync(runSh));
        Assert.True(File.GetUnixFileMode(runSh).HasFlag(UnixFileMode.UserExecute), $"mode {File.GetUnixFileMode(runSh)}");

        // cp.get_file: the minion's own fetch into a path of our choosing.
        var fetched = Path.Combine(lab.Layout.MinionConfigDir("m2"), "cache", "spiro-tests", Project, "fetched.bin");
        var get = await lab.SaltJsonAsync("m2", "cp.get_file", "salt://_artifacts/build/blob.bin", fetched, "makedirs=True", $"saltenv={Project}/dev");
        Assert.Equal(fetched, get["m2"]?.GetValue<string>());
        Assert.Equal(SHA256.HashData(artifact), SHA256.HashData(await File.ReadAllBytesAsync(fetched)));

        var dirs = await lab.SaltJsonAsync("m1", "cp.list_master_dirs", $"saltenv={Project}/dev");
        Assert.Contains(dirs["m1"]!.AsArray(), dir => dir!.GetValue<string>() == "empty/nothing-here");
    }

    [SaltFact]
    public async Task Promote_DevToProd_ServesIdenticalBytes()
    {
        var lab = salt.Lab;
        const string Project = "promoted";
        using var project = new TempProject();
        var content = new byte[700_000];
        new Random(4).NextBytes(content);
        project.Write("_salt/data/payload.bin", content);
        project.Write("_salt/spirotop.sls", "dev: {}\nprod: {}\n");
        var deploy = await lab.DeployAsync(project.Path, await lab.IssueTokenAsync(Project), Project, "dev");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var promote = await lab.SpiroAsync("promote", $"{Project}/dev", $"{Project}/prod");
        Assert.True(promote.ExitCode == 0, promote.ToString());

        var hashes = new List<string>();
        foreach (var deployment in new[] { "dev", "prod" })
        {
            var dest = Path.Combine(lab.Layout.MinionConfigDir("m1"), "cache", "spiro-tests", Project, $"{deployment}.bin");
            var get = await lab.SaltJsonAsync("m1", "cp.get_file", "salt://data/payload.bin", dest, "makedirs=True", $"saltenv={Project}/{deployment}");
            Assert.Equal(dest, get["m1"]?.GetValue<string>());
            hashes.Add(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(dest))));
        }

        Assert.Equal(Convert.ToHexString(SHA256.HashData(content)), hashes[0]);
        Assert.Equal(hashes[0], hashes[1]);
    }
}
