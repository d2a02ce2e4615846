using Spiro.Core.Bundles;

namespace Spiro.Core.Releases.Diff;

/// <summary>One file that differs between two releases.</summary>
/// <param name="Path">Release-relative path.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Before">The entry in the older release; null when added.</param>
/// <param name="After">The entry in the newer release; null when removed.</param>
public sealed record FileChange(string Path, FileChangeKind Kind, ManifestEntry? Before, ManifestEntry? After);
