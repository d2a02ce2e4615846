using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Spiro.Protocol.Bundles;

namespace Spiro.Deploy.Transport;

/// <summary>
/// The bundle as a raw request body (v1 API): tar written by <see cref="BundleBuilder"/> straight
/// into the request stream, gzip-compressed on the way when the server offers it. No length, so
/// HTTP/1.1 sends it chunked; nothing is buffered whole.
/// </summary>
internal sealed class BundleContent : HttpContent
{
    private readonly BundleSpec spec;
    private readonly bool gzip;
    private readonly Action<long> onSent;

    public BundleContent(BundleSpec spec, bool gzip, Action<long> onSent)
    {
        this.spec = spec;
        this.gzip = gzip;
        this.onSent = onSent;
        Headers.ContentType = new MediaTypeHeaderValue(gzip ? "application/gzip" : "application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(stream, onSent);
        if (gzip)
        {
            // Fastest: the link is usually the bottleneck only for big artifacts, and then they are often compressed already.
            await using var compressed = new GZipStream(counting, CompressionLevel.Fastest, leaveOpen: true);
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
