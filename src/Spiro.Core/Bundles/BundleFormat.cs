namespace Spiro.Core.Bundles;

/// <summary>How a bundle's bytes are packed, as told by its first bytes.</summary>
public enum BundleFormat
{
    /// <summary>Uncompressed tar (anything that is neither gzip nor zstd is read as tar).</summary>
    Tar,

    /// <summary>gzip (magic 1f 8b).</summary>
    Gzip,

    /// <summary>zstd (magic 28 b5 2f fd).</summary>
    Zstd,
}
