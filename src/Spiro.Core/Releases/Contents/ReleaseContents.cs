using Spiro.Core.Bundles;
using Spiro.Core.Names;
using Spiro.Core.Releases.Diff;
using Spiro.Core.Releases.Layout;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Contents;

/// <summary>
/// Read-only views of kept releases for people (the dashboard, a future <c>spiro diff</c>): the live
/// release of every saltenv, one release's files and their heads, and the diff against the release
/// before it. Nothing here takes a lock: release trees and manifests never change once live
/// (docs/storage.md); a release removed meanwhile reads as absent.
/// </summary>
public sealed class ReleaseContents(ReleaseStore store)
{
    private StoreServices Services => store.Services;

    /// <summary>The live release of every saltenv, ordered by saltenv; one query however many saltenvs there are.</summary>
    public IReadOnlyList<ReleaseInfo> LiveReleases()
    {
        var records = Services.Repository.AllActive().ToDictionary(r => r.Id, StringComparer.Ordinal);
        return [.. Services.Layout.LivePointers()
            .Select(p => records.TryGetValue(p.ReleaseId, out var record) && record.SaltEnv == p.SaltEnv ? record.ToInfo(live: true) : null)
            .OfType<ReleaseInfo>()];
    }

    /// <summary>The kept release <paramref name="releaseId"/> of <paramref name="saltEnv"/>, or null (unknown, removed or another saltenv's).</summary>
    public ReleaseInfo? Find(SaltEnvName saltEnv, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (!ReleaseId.IsValid(releaseId))
        {
            return null;
        }

        return store.Releases(saltEnv).FirstOrDefault(r => r.Id == releaseId);
    }

    /// <summary>The kept release of the same saltenv published just before <paramref name="release"/>, or null.</summary>
    public ReleaseInfo? Previous(ReleaseInfo release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var kept = store.Releases(release.SaltEnv);
        var index = kept.ToList().FindIndex(r => r.Id == release.Id);
        return index >= 0 && index + 1 < kept.Count ? kept[index + 1] : null;
    }

    /// <summary>The release's manifest entries (files and directories, sorted by path); empty when it is gone.</summary>
    public IReadOnlyList<ManifestEntry> Entries(ReleaseInfo release)
    {
        ArgumentNullException.ThrowIfNull(release);
        try
        {
            return ManifestJson.Read(Services.Layout.Manifest(release.Id)).Entries;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// The first <paramref name="maxBytes"/> of the file <paramref name="path"/>, or null when the
    /// release has no such file. Only paths the manifest lists are opened.
    /// </summary>
    public ReleaseFile? Read(ReleaseInfo release, string path, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var entry = Entries(release).FirstOrDefault(e => e.Kind == EntryKind.File && e.Path == path);
        return entry is null ? null : ReadEntry(release, entry, maxBytes);
    }

    /// <summary>What changed from the release before <paramref name="release"/>, with unified diffs of text files within <paramref name="limits"/>.</summary>
    public ReleaseComparison Compare(ReleaseInfo release, DiffLimits limits) => Compare(Previous(release), release, limits);

    /// <summary>
    /// What changed from <paramref name="previous"/> (null: nothing, every file is added) to
    /// <paramref name="release"/>, which may be any two releases of the store, a plan's candidate
    /// included: the one diff of the dashboard, <c>spiro diff</c>, the v1 API and plans.
    /// </summary>
    public ReleaseComparison Compare(ReleaseInfo? previous, ReleaseInfo release, DiffLimits limits)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(limits);
        var changes = ManifestDiff.Compare(previous is null ? [] : Entries(previous), Entries(release));
        var files = new List<FileDiff>(changes.Count);
        var diffs = 0;
        foreach (var change in changes)
        {
            if (change.Kind != FileChangeKind.Changed)
            {
                files.Add(new FileDiff(change, null, null));
                continue;
            }

            var omitted = diffs >= limits.MaxTextDiffs ? $"only the first {limits.MaxTextDiffs} changed files are diffed"
                : Math.Max(change.Before!.Size, change.After!.Size) > limits.MaxTextBytes ? $"larger than {limits.MaxTextBytes} bytes"
                : null;
            files.Add(omitted is null ? TextDiff(previous!, release, change, limits.MaxTextBytes, ref diffs) : new FileDiff(change, null, omitted));
        }

        return new ReleaseComparison(release, previous, files);
    }

    /// <summary>
    /// A kept release of <paramref name="saltEnv"/> or the candidate of one of its pending plans,
    /// by id; null when neither. Candidates are not in <see cref="ReleaseStore.Releases"/>.
    /// </summary>
    public ReleaseInfo? FindAny(SaltEnvName saltEnv, string releaseId) =>
        Find(saltEnv, releaseId)
        ?? (store.FindPlan(releaseId) is { } plan && plan.SaltEnv == saltEnv ? store.Candidate(plan) : null);

    /// <summary>The release's top file (Salt's <c>state_top</c>) as text, cut at <paramref name="maxBytes"/>; null when it has none or it is not text.</summary>
    public string? TopFile(ReleaseInfo? release, int maxBytes) =>
        release is null || Read(release, store.Options.StateTop, maxBytes) is not { } file ? null : TextContent.Decode(file.Bytes);

    private FileDiff TextDiff(ReleaseInfo previous, ReleaseInfo release, FileChange change, int maxBytes, ref int diffs)
    {
        var before = ReadEntry(previous, change.Before!, maxBytes);
        var after = ReadEntry(release, change.After!, maxBytes);
        if (before is null || after is null)
        {
            return new FileDiff(change, null, "the release was removed meanwhile");
        }

        if (TextContent.Decode(before.Bytes) is not { } oldText || TextContent.Decode(after.Bytes) is not { } newText)
        {
            return new FileDiff(change, null, "binary content");
        }

        diffs++;
        var unified = UnifiedDiff.Create(oldText, newText, $"{previous.Id}/{change.Path}", $"{release.Id}/{change.Path}");
        return new FileDiff(change, unified.Length == 0 ? null : unified, unified.Length == 0 ? "only the executable bit changed" : null);
    }

    private ReleaseFile? ReadEntry(ReleaseInfo release, ManifestEntry entry, int maxBytes)
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(Services.Layout.ReleaseTree(release.Id), entry.Path));
            var buffer = new byte[(int)Math.Min(maxBytes, entry.Size)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return new ReleaseFile(entry.Path, entry.Size, read == buffer.Length ? buffer : buffer[..read]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
