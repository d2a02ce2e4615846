using Spiro.Core.Metadata;
using Spiro.Core.Names;
using Spiro.Core.Releases.Layout;

namespace Spiro.Core.Highstate;

/// <summary>
/// Builds a <see cref="HighstateReport"/> from Salt and the data directory, reading the store only;
/// the results come from <paramref name="metadata"/> when given (a cluster's), else the data directory's <c>spiro.db</c>.
/// </summary>
public sealed class HighstateQuery(HighstateOrchestrator orchestrator, string dataDirectory, MetadataDatabase? metadata = null)
{
    /// <summary>Asks Salt for the affected minions and reads the live release's stored results.</summary>
    public async Task<HighstateReport> RunAsync(SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        var showTop = await orchestrator.FindAffectedMinionsAsync(saltEnv, cancellationToken);
        var live = LiveRelease(saltEnv);
        var database = DataDirectoryNames.DatabaseIn(dataDirectory);
        var results = metadata ?? (File.Exists(database) ? MetadataDatabase.Open(database) : null);
        IReadOnlyList<HighstateRun> runs = live is not null && results is not null
            ? new HighstateResultStore(results).Query(live, saltEnv)
            : [];
        return new HighstateReport(saltEnv, showTop, live, runs);
    }

    // docs/storage.md: envs/<project>/<deployment> is a symlink to ../../releases/<release-id>. Reading it
    // directly (not opening the store) keeps this query free of the store's start-up clean-up.
    private string? LiveRelease(SaltEnvName saltEnv)
    {
        var link = new FileInfo(Path.Combine(dataDirectory, "envs", saltEnv.Project, saltEnv.Deployment));
        return link.LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : null;
    }
}
