using Spiro.Protocol.Bundles;

namespace Spiro.Server.Deploys;

/// <summary>
/// Read-only pass-through over a request body that counts bytes and stops at a limit. The flag
/// survives whatever the reader downstream does with the exception, so the endpoint can still answer 413.
/// </summary>
internal sealed class CountingStream(Stream inner, long limit, Action<long> onBytes) : ReadOnlyStream
{
    public long BytesRead { get; private set; }

    public bool LimitExceeded { get; private set; }

    /// <summary>Whether reading the request body itself failed (the client went away, stalled, sent less than announced): an upload failure, not a server one.</summary>
    public bool ReadFailed { get; private set; }

    public long Limit => limit;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception e) when (e is not BodyTooLargeException)
        {
            ReadFailed = true;
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ReadFailed = true;
            throw;
        }

        return Count(read);
    }


    private int Count(int read)
    {
        BytesRead += read;
        onBytes(read);
        if (BytesRead > limit)
        {
            LimitExceeded = true;
            throw new BodyTooLargeException(limit);
        }

        return read;
    }
}
