using System.Net;
using System.Net.Http.Headers;
using Spiro.Protocol.Bundles;
using Spiro.Protocol.Deltas;

namespace Spiro.Deploy.Transport;

/// <summary>
/// The second request of a negotiated upload: a plain tar of only the files the server said it
/// lacks, written from the project tree while it is sent (no temp file), chunked.
/// </summary>
internal sealed class MissingFilesContent : HttpContent
{
    private readonly BundleSpec spec;
    private readonly IReadOnlyList<DeltaEntry> plan;
    private readonly IReadOnlySet<int> missing;
    private readonly Action<long> onSent;

    public MissingFilesContent(BundleSpec spec, IReadOnlyList<DeltaEntry> plan, IReadOnlySet<int> missing, Action<long> onSent)
    {
        this.spec = spec;
        this.plan = plan;
        this.missing = missing;
        this.onSent = onSent;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(stream, onSent);
        await BundleBuildException.GuardAsync(counting, () => DeltaBundle.WriteMissingAsync(spec, plan, missing, counting, cancellationToken));
        await counting.FlushAsync(cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
