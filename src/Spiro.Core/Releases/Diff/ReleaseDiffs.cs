using System.Globalization;
using Spiro.Core.Bundles;
using Spiro.Core.Releases.Contents;
using Spiro.Protocol.Plans;

namespace Spiro.Core.Releases.Diff;

/// <summary>
/// The wire form (<see cref="ReleaseDiff"/>) of a <see cref="ReleaseComparison"/>: the one diff
/// format of <c>spiro diff</c>, the v1 API and plans (docs/api.md "Release diff").
/// </summary>
public static class ReleaseDiffs
{
    /// <summary>Compares <paramref name="from"/> with <paramref name="to"/> and adds both top files.</summary>
    public static ReleaseDiff Create(ReleaseContents contents, ReleaseInfo? from, ReleaseInfo to, DiffLimits limits)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(limits);
        var comparison = contents.Compare(from, to, limits);
        return From(comparison, contents.TopFile(from, limits.MaxTextBytes), contents.TopFile(to, limits.MaxTextBytes));
    }

    /// <summary>The wire form of <paramref name="comparison"/>. Pure.</summary>
    public static ReleaseDiff From(ReleaseComparison comparison, string? topBefore, string? topAfter)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var files = comparison.Files.Select(file => new DiffFile(
            file.Change.Path,
            file.Change.Kind.ToString().ToLowerInvariant(),
            Side(file.Change.Before),
            Side(file.Change.After),
            file.Unified,
            file.Omitted)).ToList();
        return new ReleaseDiff(
            comparison.Release.SaltEnv.ToString(),
            comparison.Previous?.Id,
            comparison.Release.Id,
            comparison.Files.Count(f => f.Change.Kind == FileChangeKind.Added),
            comparison.Files.Count(f => f.Change.Kind == FileChangeKind.Removed),
            comparison.Files.Count(f => f.Change.Kind == FileChangeKind.Changed),
            files,
            topBefore,
            topAfter);
    }

    private static DiffSide? Side(ManifestEntry? entry) =>
        entry is null ? null : new DiffSide(entry.Size, entry.Sha256, entry.Executable ? "0555" : "0444");
}
