using System.Net;
using System.Security.Cryptography;
using System.Text;
using Spiro.Cluster.Objects;
using Spiro.Cluster.Sharing;
using Spiro.Cluster.Tests.Support;
using Spiro.Testing;
using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Server;

/// <summary>
/// A follower fetching what it lacks from the bucket, several objects at once (docs/cluster.md):
/// every object is checked against its sha256 before it is adopted, and a release with one bad
/// object is not made at all.
/// </summary>
public sealed partial class TwoMasterTests
{
    [ClusterFact]
    public async Task CatchUp_OfAReleaseWithManyMissingObjects_ServesEveryFileByteForByte()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b", objects: "parallelism: 16");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        await b.StopAsync();

        // 60 distinct contents, one of them at two paths and one as both a plain and an executable file.
        var files = Enumerable.Range(0, 60).ToDictionary(i => $"files/f{i:D2}.txt", i => $"content {i}\n" + new string('x', i * 1000));
        files["init.sls"] = "v: 2\n";
        files["copy/f07.txt"] = files["files/f07.txt"];
        files["bin/f08.sh*"] = files["files/f08.txt"];
        var (status, stream) = await DeployAsync(a, files);
        Assert.True(status == HttpStatusCode.OK, stream);

        await b.StartAgainAsync();

        Assert.Equal(a.Live(SaltEnv), b.Live(SaltEnv));
        AssertServedAlike(a, b, files);
        Assert.Equal(
            File.ReadAllText(b.Served(SaltEnv, "files/f07.txt")!),
            File.ReadAllText(b.Served(SaltEnv, "copy/f07.txt")!));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(b.Data, "staging", "foo", "dev")));
        Assert.Contains("62 objects fetched", await File.ReadAllTextAsync(b.Log), StringComparison.Ordinal);
    }

    [ClusterFact]
    public async Task Follow_OfAReleaseWithACorruptObjectInTheBucket_RefusesIt_AndKeepsServingTheOldRelease()
    {
        var a = await StartAsync("master-a");
        var b = await StartAsync("master-b");
        Assert.Equal(HttpStatusCode.OK, (await DeployAsync(a, new Dictionary<string, string> { ["init.sls"] = "v: 1\n" })).Status);
        var old = b.Live(SaltEnv);

        // Wrong bytes under the key of a large content the next deploy has: the deploy's HEAD finds
        // the key and uploads nothing, so the bucket serves the wrong bytes for it (a small one's
        // refused PUT is read back and fails the deploy: ClusterUploadTests).
        var good = "the real content\n" + new string('r', (int)ClusterUpload.AskFirstFrom);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(good)));
        await PutUncheckedAsync(sha, "not what the key says\n");
        var next = new Dictionary<string, string> { ["init.sls"] = "v: 2\n", ["files/real.txt"] = good };
        for (var i = 0; i < 20; i++)
        {
            next[$"files/other{i}.txt"] = $"other {i}\n";
        }

        var (status, stream) = await DeployAsync(a, next);
        Assert.True(status == HttpStatusCode.OK, stream);
        var release = a.Live(SaltEnv)!;

        using var client = new HttpClient { BaseAddress = b.Url };
        await EventuallyAsync(
            () => client.GetStringAsync("/healthz").Result.Contains($"object {sha}", StringComparison.Ordinal),
            $"{b.Name} reports object {sha} in /healthz", b);
        var health = await client.GetStringAsync("/healthz");
        Assert.Contains("does not hash to its key", health, StringComparison.Ordinal);
        Assert.Equal(old, b.Live(SaltEnv));
        Assert.Equal("v: 1\n", File.ReadAllText(b.Served(SaltEnv, "init.sls")!));
        Assert.False(Directory.Exists(Path.Combine(b.Data, "releases", release)));
        Assert.False(File.Exists(Path.Combine(b.Data, "manifests", release + ".json")));
        Assert.False(File.Exists(Path.Combine(b.Data, "objects", sha[..2], sha)));

        // The repair runs on a master that has the content: B has none, A published it.
        var fromB = await RepairAsync(b, sha);
        Assert.True(fromB.ExitCode == 1, fromB.ToString());
        Assert.Contains($"has no copy of object {sha}", fromB.Error, StringComparison.Ordinal);
        var fromA = await RepairAsync(a, sha);
        Assert.True(fromA.ExitCode == 0, fromA.ToString());
        Assert.Contains($"replaced object {sha}", fromA.Output, StringComparison.Ordinal);
        Assert.Contains("nothing to do", (await RepairAsync(a, sha)).Output, StringComparison.Ordinal);

        await EventuallyAsync(() => b.Live(SaltEnv) == release, $"{b.Name} follows once the object is repaired", b);
        AssertServedAlike(a, b, next);
    }

    private static Task<CommandResult> RepairAsync(ClusterMaster master, string sha) =>
        ProcessRunner.RunAsync(RepoPaths.SpiroCli, ["cluster", "repair", "--config", Path.Combine(master.Root, "serve.yaml"), "--data", master.Data, sha], TimeSpan.FromMinutes(1));

    // Stores bytes under a key they do not hash to, as a broken or hostile writer with the bucket's keys could.
    private async Task PutUncheckedAsync(string sha, string content)
    {
        using var store = new S3ContentStore(new S3ContentOptions
        {
            Endpoint = new Uri(services.Ceph.Endpoint),
            Bucket = _bucket,
            AccessKey = CephGateway.AccessKey,
            SecretKey = CephGateway.SecretKey,
        });
        var file = Path.Combine(_root, "corrupt-" + sha);
        await File.WriteAllTextAsync(file, content);
        Assert.True(await store.PutAsync(sha, file, CancellationToken.None));
    }
}
