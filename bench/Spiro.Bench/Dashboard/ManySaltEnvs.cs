using System.Formats.Tar;
using System.Text;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Bench.Dashboard;

/// <summary>Fills a data directory with many live saltenvs (one small release and one finished deploy each) through the real store.</summary>
internal static class ManySaltEnvs
{
    public static async Task PopulateAsync(ReleaseStore store, DeployLog deploys, int count)
    {
        // Saltenvs publish under their own locks, so a few at a time fill the store faster.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var saltEnv = new SaltEnvName($"project{i / 50:D3}", $"env{i % 50:D2}");
            using var bundle = Bundle(saltEnv.Deployment, i);
            var result = await store.PublishAsync(saltEnv, bundle, new PublishContext("token:bench (ci)"), cancellationToken);
            var release = (result as PublishResult.Published)?.Release.Id ?? throw new InvalidOperationException($"publish of {saltEnv} failed: {result}");
            var id = $"{i:x16}";
            deploys.Create(id, saltEnv.ToString(), "token:bench (ci)", highstate: false, test: false);
            deploys.SetRelease(id, release);
            deploys.Finish(id, "succeeded");
        });
    }

    private static MemoryStream Bundle(string deployment, int seed)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var files = new Dictionary<string, string>
            {
                [".gitcommit"] = $"{seed:x40}\n",
                ["spirotop.sls"] = $"{deployment}:\n  '*':\n    - web\n",
                ["web/init.sls"] = $"web:\n  test.succeed_without_changes:\n    - name: web {seed}\n",
            };
            foreach (var (path, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        stream.Position = 0;
        return stream;
    }
}
