using Spiro.Protocol.Bundles;
using Spiro.Server.Deploys;

namespace Spiro.Server.Endpoints.Compat;

/// <summary>
/// The bundle part of a compatible multipart upload, read-only. MultipartReader throws a bare
/// IOException when the body ends before the part's closing boundary; that is a truncated
/// request, not a server fault, so it becomes <see cref="TruncatedBodyException"/>. A client that
/// goes away or a body over the limit throw their own exception types and pass unchanged.
/// </summary>
internal sealed class BundlePartStream(Stream part) : ReadOnlyStream
{
    private const string Truncated = "the multipart body ends inside the bundle part (truncated upload?); nothing was published";

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return part.Read(buffer);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new TruncatedBodyException(Truncated);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new TruncatedBodyException(Truncated);
        }
    }
}
