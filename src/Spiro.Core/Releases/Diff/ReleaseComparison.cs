namespace Spiro.Core.Releases.Diff;

/// <summary>A release compared with the one before it in its saltenv.</summary>
/// <param name="Release">The newer release.</param>
/// <param name="Previous">The release before it, or null for the saltenv's first kept release (every file is then added).</param>
/// <param name="Files">Each differing file with its unified diff when it is text within the limits.</param>
public sealed record ReleaseComparison(ReleaseInfo Release, ReleaseInfo? Previous, IReadOnlyList<FileDiff> Files);
