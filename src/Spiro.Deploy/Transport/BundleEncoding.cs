namespace Spiro.Deploy.Transport;

/// <summary>How the bundle tar travels in a v1 upload body.</summary>
internal enum BundleEncoding
{
    /// <summary>Plain tar, <c>application/x-tar</c>.</summary>
    Tar,

    /// <summary>gzip, <c>application/gzip</c>.</summary>
    Gzip,

    /// <summary>zstd, <c>application/zstd</c>.</summary>
    Zstd,
}
