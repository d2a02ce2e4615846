using System.Formats.Tar;
using System.Text;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;

namespace Spiro.Dashboard.Tests.Support;

/// <summary>Fills a data directory with many live saltenvs through the real store (before a server opens it).</summary>
internal static class ManySaltEnvs
{
    public static async Task PopulateAsync(string data, int count)
    {
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System);
        var deploys = new DeployLog(store.Database, TimeProvider.System);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var saltEnv = Name(i);
            using var bundle = new MemoryStream();
            using (var writer = new TarWriter(bundle, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "web/init.sls") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"web{i}: {{}}\n")) });
            }

            bundle.Position = 0;
            var result = await store.PublishAsync(saltEnv, bundle, new PublishContext("token:test (many)"), cancellationToken);
            var release = (result as PublishResult.Published)?.Release.Id ?? throw new InvalidOperationException($"publish of {saltEnv}: {result}");
            deploys.Create($"{i:x16}", saltEnv.ToString(), "token:test (many)", highstate: false, test: false);
            deploys.SetRelease($"{i:x16}", release);
            deploys.Finish($"{i:x16}", "succeeded");
        });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public static SaltEnvName Name(int i) => new($"many{i / 50:D2}", $"env{i % 50:D2}");
}
