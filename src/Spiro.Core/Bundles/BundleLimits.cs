namespace Spiro.Core.Bundles;

/// <summary>Limits an untrusted bundle must stay within. Defaults per the design brief.</summary>
public sealed record BundleLimits
{
    /// <summary>Sum of all file sizes after decompression. Default 2 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 2L << 30;

    /// <summary>
    /// Number of tar entries of any kind, and separately of paths in the bundle, counting every
    /// directory a deeper path implies (one header can imply <see cref="MaxDepth"/> of them). Default 200,000.
    /// </summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Size of one file. Default 1 GiB.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>UTF-8 byte length of one entry path. Default 1024.</summary>
    public int MaxPathBytes { get; init; } = 1024;

    /// <summary>
    /// Size of one PAX extended header or GNU long-name entry, which the tar reader holds in memory
    /// whole. Default 1 MiB (a path is at most <see cref="MaxPathBytes"/> anyway).
    /// </summary>
    public long MaxHeaderBytes { get; init; } = 1L << 20;

    /// <summary>Number of path segments. Default 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Decompressed bytes per compressed byte, for gzip and zstd input. Default 100.</summary>
    public double MaxExpansionRatio { get; init; } = 100;

    /// <summary>
    /// Decompressed bytes allowed before <see cref="MaxExpansionRatio"/> is enforced, because tar
    /// headers and padding compress far better than 100:1 in small legitimate bundles. Default 1 MiB.
    /// </summary>
    public long ExpansionRatioGraceBytes { get; init; } = 1L << 20;
}
