using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// What a plan must be before the server stores it. The bundle rules themselves (paths, links,
/// limits) are checked later, by the same reader a full upload goes through.
/// </summary>
public static class DeltaPlanRules
{
    private const int MaxMode = 0b111_111_111_111;

    /// <summary>Why <paramref name="entries"/> cannot be a plan, or null.</summary>
    public static string? Check(IReadOnlyList<PlannedEntry> entries, BundleLimits limits)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(limits);
        if (entries.Count > limits.MaxEntries)
        {
            return $"the plan has {entries.Count} entries, more than the limit of {limits.MaxEntries}";
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (Problem(entries[i], limits) is { } problem)
            {
                return $"plan entry {i}: {problem}";
            }
        }

        return null;
    }

    private static string? Problem(PlannedEntry entry, BundleLimits limits)
    {
        if (string.IsNullOrEmpty(entry.Path) || entry.Path.Contains('\0', StringComparison.Ordinal))
        {
            return "path is empty or holds a NUL byte";
        }

        if (entry.Mode is < 0 or > MaxMode)
        {
            return $"mode {entry.Mode} is not a set of permission bits";
        }

        return entry.Kind switch
        {
            PlannedKind.File when entry.Size < 0 || entry.Size > limits.MaxFileBytes => $"size {entry.Size} is negative or past the file limit of {limits.MaxFileBytes}",
            PlannedKind.File when !IsSha256(entry.Sha256) => "a file needs its sha256 as 64 lower-case hex digits",
            PlannedKind.Symlink or PlannedKind.Hardlink when string.IsNullOrEmpty(entry.Link) || entry.Link.Contains('\0', StringComparison.Ordinal) => "a link needs a target",
            _ => null,
        };
    }

    public static bool IsSha256(string? text) =>
        text is { Length: 64 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
