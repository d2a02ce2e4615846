namespace Spiro.Core.Releases.Retention;

/// <summary>Which releases of one saltenv retention removes: everything but the newest N and the live one.</summary>
internal static class RetentionPolicy
{
    /// <summary>
    /// Returns the ids to remove, oldest first. Newest is decided by <see cref="RetainedRelease.Order"/>
    /// (the order releases were made); the live release is always kept, on top of the newest
    /// <paramref name="keep"/>.
    /// </summary>
    public static IReadOnlyList<string> SelectForRemoval(IEnumerable<RetainedRelease> releases, string? liveId, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return releases
            .OrderByDescending(r => r.Order)
            .Skip(keep)
            .Where(r => !string.Equals(r.Id, liveId, StringComparison.Ordinal))
            .OrderBy(r => r.Order)
            .Select(r => r.Id)
            .ToList();
    }
}
