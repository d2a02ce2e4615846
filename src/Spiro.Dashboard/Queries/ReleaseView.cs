using Spiro.Core.Bundles;
using Spiro.Core.Highstate;
using Spiro.Core.Releases;
using Spiro.Core.Releases.Diff;

namespace Spiro.Dashboard.Queries;

/// <summary>What the release page shows.</summary>
/// <param name="Release">The release.</param>
/// <param name="Entries">Its files and directories, sorted by path.</param>
/// <param name="TopFile">The head of its top.sls as text, or null when it has none (or it is not text).</param>
/// <param name="TopFileTruncated">Whether <paramref name="TopFile"/> was cut at the page's limit.</param>
/// <param name="Runs">Stored highstate runs for this release, oldest first.</param>
/// <param name="Comparison">The diff against the release before it.</param>
internal sealed record ReleaseView(ReleaseInfo Release, IReadOnlyList<ManifestEntry> Entries, string? TopFile, bool TopFileTruncated, IReadOnlyList<HighstateRun> Runs, ReleaseComparison Comparison);
