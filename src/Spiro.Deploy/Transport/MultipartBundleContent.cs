using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Spiro.Protocol.Bundles;

namespace Spiro.Deploy.Transport;

/// <summary>
/// The compatible endpoint's <c>multipart/form-data</c> body, written as it is sent: fields
/// <c>project</c>, <c>deployment</c>, <c>highstate=True</c> (only when on, as the original client
/// did), then the file part <c>bundle</c> holding the uncompressed tar.
/// </summary>
internal sealed class MultipartBundleContent : HttpContent
{
    private readonly string boundary = "spiro-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly BundleSpec spec;
    private readonly IReadOnlyList<KeyValuePair<string, string>> fields;
    private readonly Action<long> onSent;

    public MultipartBundleContent(BundleSpec spec, string project, string deployment, bool highstate, Action<long> onSent)
    {
        this.spec = spec;
        this.onSent = onSent;
        List<KeyValuePair<string, string>> list = [new("project", project), new("deployment", deployment)];
        if (highstate)
        {
            list.Add(new("highstate", "True"));
        }

        fields = list;
        var type = new MediaTypeHeaderValue("multipart/form-data");
        type.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
        Headers.ContentType = type;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(stream, onSent);
        var head = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            head.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"bundle.tar\"\r\nContent-Type: application/x-tar\r\n\r\n");
        await counting.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
        await BundleBuildException.GuardAsync(counting, () => BundleBuilder.WriteAsync(spec, counting, cancellationToken));
        await counting.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"), cancellationToken);
        await counting.FlushAsync(cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
