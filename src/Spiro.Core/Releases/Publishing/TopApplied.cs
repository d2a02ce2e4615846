using Spiro.Core.Bundles;
using Spiro.Core.Releases.Manifests;

namespace Spiro.Core.Releases.Publishing;

/// <summary>The entries after the top-file step, what kind of top the release has, or why the spirotop was refused.</summary>
internal sealed record TopApplied(IReadOnlyList<ManifestEntry> Entries, TopKind Top, string? Rejection)
{
    /// <summary>The top file uses Jinja (generated from a Jinja spirotop.sls, or kept): only the render gate can check it.</summary>
    public bool Jinja { get; init; }
}
