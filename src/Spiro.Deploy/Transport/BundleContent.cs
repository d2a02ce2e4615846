using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Spiro.Protocol.Bundles;
using ZstdSharp;

namespace Spiro.Deploy.Transport;

/// <summary>
/// The bundle as a raw request body (v1 API): tar written by <see cref="BundleBuilder"/> straight
/// into the request stream, compressed on the way (gzip or zstd) when asked. No length, so
/// HTTP/1.1 sends it chunked; nothing is buffered whole.
/// </summary>
internal sealed class BundleContent : HttpContent
{
    private readonly BundleSpec spec;
    private readonly BundleEncoding encoding;
    private readonly Action<long> onSent;

    public BundleContent(BundleSpec spec, BundleEncoding encoding, Action<long> onSent)
    {
        this.spec = spec;
        this.encoding = encoding;
        this.onSent = onSent;
        Headers.ContentType = new MediaTypeHeaderValue(MediaType(encoding));
    }

    /// <summary>The Content-Type declaring <paramref name="encoding"/>.</summary>
    public static string MediaType(BundleEncoding encoding) => encoding switch
    {
        BundleEncoding.Gzip => "application/gzip",
        BundleEncoding.Zstd => "application/zstd",
        _ => "application/x-tar",
    };

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(stream, onSent);
        if (encoding == BundleEncoding.Gzip)
        {
            // Fastest: the link is usually the bottleneck only for big artifacts, and then they are often compressed already.
            await using var compressed = new GZipStream(counting, CompressionLevel.Fastest, leaveOpen: true);
            await BundleBuildException.GuardAsync(counting, () => BundleBuilder.WriteAsync(spec, compressed, cancellationToken));
        }
        else if (encoding == BundleEncoding.Zstd)
        {
            // Level 3 (zstd's default) already beats gzip -1 on both speed and size; its window stays
            // far below the server's 16 MiB decoder limit.
            await using var compressed = new CompressionStream(counting, level: 3, leaveOpen: true);
            await BundleBuildException.GuardAsync(counting, () => BundleBuilder.WriteAsync(spec, compressed, cancellationToken));
        }
        else
        {
            await BundleBuildException.GuardAsync(counting, () => BundleBuilder.WriteAsync(spec, counting, cancellationToken));
        }

        await counting.FlushAsync(cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
