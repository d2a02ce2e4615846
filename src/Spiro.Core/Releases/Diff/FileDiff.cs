namespace Spiro.Core.Releases.Diff;

/// <summary>One differing file of a <see cref="ReleaseComparison"/>.</summary>
/// <param name="Change">What changed.</param>
/// <param name="Unified">The unified diff, or null when <see cref="Omitted"/> says why there is none.</param>
/// <param name="Omitted">Why no text diff is shown (binary, too large, too many files), or null.</param>
public sealed record FileDiff(FileChange Change, string? Unified, string? Omitted);
