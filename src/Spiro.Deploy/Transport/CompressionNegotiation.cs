using Spiro.Deploy.Cli;

namespace Spiro.Deploy.Transport;

/// <summary>
/// Settles <c>--compress</c> against what the server said it accepts. An explicit choice the
/// server cannot take is an error rather than a silent fallback: CI asked for it on purpose.
/// </summary>
internal static class CompressionNegotiation
{
    /// <summary>The encoding to send, or null and the reason it cannot be honoured.</summary>
    public static (BundleEncoding? Encoding, string? Error) Resolve(CompressionChoice choice, ServerInfo info)
    {
        if (!info.HasV1)
        {
            // The original protocol's multipart upload carries uncompressed tar only.
            return choice is CompressionChoice.Auto or CompressionChoice.None
                ? (BundleEncoding.Tar, null)
                : (null, $"--compress {Name(choice)} needs the v1 API; this server has only the compatible endpoint, which takes uncompressed tar (use --compress none or auto)");
        }

        return choice switch
        {
            CompressionChoice.Auto => (info.Gzip ? BundleEncoding.Gzip : BundleEncoding.Tar, null),
            CompressionChoice.None => (BundleEncoding.Tar, null),
            CompressionChoice.Gzip => Offered(info, "gzip", BundleEncoding.Gzip),
            CompressionChoice.Zstd => Offered(info, "zstd", BundleEncoding.Zstd),
            _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, null),
        };
    }

    private static (BundleEncoding?, string?) Offered(ServerInfo info, string feature, BundleEncoding encoding)
    {
        if (info.Features.Contains(feature))
        {
            return (encoding, null);
        }

        var features = info.Features.Count == 0 ? "none" : string.Join(", ", info.Features.Order(StringComparer.Ordinal));
        return (null, $"--compress {feature}: the server does not offer {feature} (its features: {features}); use --compress auto or none");
    }

    private static string Name(CompressionChoice choice) => choice.ToString().ToLowerInvariant();
}
