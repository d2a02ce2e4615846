using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Spiro.Testing;
using Spiro.Testing.Salt;

namespace Spiro.RealSalt.Tests.Files;

/// <summary>
/// A minion fetching a file chunk by chunk while its saltenv flips between releases (docs/salt.md,
/// "Transfers that span a republish"): Salt asks the backend afresh for every chunk, so without the
/// backend's chunk offsets the file arrives mixed from both releases.
/// </summary>
[Collection(SaltLabFixture.Collection)]
public sealed class MixedTransferTests(SaltLabFixture salt)
{
    private const string SaltEnv = "flipping/dev";
    private const int Size = 40 * 1024 * 1024;

    [SaltFact]
    public async Task Fetch_WhileTheSaltenvFlipsBetweenTwoReleases_ArrivesWholeFromOneOfThem()
    {
        var lab = salt.Lab;
        using var work = new TempProject();
        var contents = new[] { Content(1), Content(2) };
        foreach (var (content, index) in contents.Select((content, index) => (content, index)))
        {
            work.Write($"v{index}/big.bin", content);
            var bundle = Path.Combine(work.Path, $"v{index}.tar");
            await TarFile.CreateFromDirectoryAsync(Path.Combine(work.Path, $"v{index}"), bundle, includeBaseDirectory: false);
            var publish = await lab.SpiroAsync("publish", SaltEnv, bundle);
            Assert.True(publish.ExitCode == 0, publish.ToString());
        }

        var listed = await lab.SpiroAsync("releases", SaltEnv, "--json");
        // Release ids sort by creation time: v0's release first.
        var releases = JsonNode.Parse(listed.Output)!.AsArray().Select(release => release!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).TakeLast(2).ToList();

        var dest = Path.Combine(lab.Layout.MinionConfigDir("m1"), "cache", "spiro-tests", "flipping", "big.bin");
        var fetch = lab.SaltAsync("m1", "cp.get_file", "salt://big.bin", dest, "makedirs=True", $"saltenv={SaltEnv}", "--out=json", "--static");
        var flips = 0;
        while (!fetch.IsCompleted)
        {
            var rollback = await lab.SpiroAsync("rollback", SaltEnv, "--to", releases[flips % 2]);
            Assert.True(rollback.ExitCode == 0, rollback.ToString());
            flips++;
        }

        var fetched = await fetch;
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.True(flips >= 3, $"only {flips} flips happened during the fetch; the test proves nothing");
        var got = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(dest)));
        Assert.Contains(got, contents.Select(content => Convert.ToHexString(SHA256.HashData(content))));
    }

    private static byte[] Content(int seed)
    {
        var bytes = new byte[Size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
