namespace Spiro.Core.Releases.Manifests;

/// <summary>Where a release's top file came from; promote regenerates unless the bundle brought its own.</summary>
internal enum TopKind
{
    /// <summary>No top file (no spirotop.sls, or no section for the deployment).</summary>
    None,

    /// <summary>The bundle's own top file, used as is.</summary>
    Kept,

    /// <summary>Compiled from spirotop.sls for this saltenv.</summary>
    Generated,
}
