using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Publishing;

/// <summary>The entries after the top-file step, what kind of top the release has, or why the spirotop was refused.</summary>
internal sealed record TopApplied(IReadOnlyList<ManifestEntry> Entries, TopKind Top, string? Rejection);
