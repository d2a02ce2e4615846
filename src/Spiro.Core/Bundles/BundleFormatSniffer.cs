namespace Spiro.Core.Bundles;

/// <summary>Tells the compression from magic bytes (pure).</summary>
internal static class BundleFormatSniffer
{
    /// <summary>Bytes to read before deciding.</summary>
    public const int MagicLength = 4;

    public static BundleFormat Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => BundleFormat.Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => BundleFormat.Zstd,
        _ => BundleFormat.Tar,
    };
}
