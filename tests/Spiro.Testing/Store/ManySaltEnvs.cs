using Microsoft.Data.Sqlite;
using Spiro.Core.Deploys;
using Spiro.Core.Names;
using Spiro.Core.Releases;
using Spiro.Testing.Tars;

namespace Spiro.Testing.Store;

/// <summary>
/// Fills a data directory with many live saltenvs through the real store, one small release and one
/// finished deploy each (the dashboard's tests and its benchmark).
/// </summary>
public static class ManySaltEnvs
{
    /// <summary>The <paramref name="i"/>th saltenv: 50 deployments a project.</summary>
    public static SaltEnvName Name(int i) => new($"many{i / 50:D2}", $"env{i % 50:D2}");

    /// <summary>Opens the store at <paramref name="data"/> (before a server does) and fills it.</summary>
    public static async Task PopulateAsync(string data, int count)
    {
        var store = ReleaseStore.Open(new StoreOptions { DataDirectory = data }, TimeProvider.System);
        await PopulateAsync(store, new DeployLog(store.Database, TimeProvider.System), count);
        SqliteConnection.ClearAllPools();
    }

    public static async Task PopulateAsync(ReleaseStore store, DeployLog deploys, int count)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deploys);

        // Saltenvs publish under their own locks, so a few at a time fill the store faster.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var saltEnv = Name(i);
            using var bundle = TestTar.Stream(new Dictionary<string, string>
            {
                [".gitcommit"] = $"{i:x40}\n",
                ["spirotop.sls"] = $"{saltEnv.Deployment}:\n  '*':\n    - web\n",
                ["web/init.sls"] = $"web:\n  test.succeed_without_changes:\n    - name: web {i}\n",
            });
            var result = await store.PublishAsync(saltEnv, bundle, new PublishContext("token:test (many)"), cancellationToken).ConfigureAwait(false);
            var release = (result as PublishResult.Published)?.Release.Id ?? throw new InvalidOperationException($"publish of {saltEnv} failed: {result}");
            var id = $"{i:x16}";
            deploys.Create(id, saltEnv.ToString(), "token:test (many)", highstate: false, test: false);
            deploys.SetRelease(id, release);
            deploys.Finish(id, "succeeded");
        }).ConfigureAwait(false);
    }
}
