namespace Spiro.Protocol.Bundles;

/// <summary>
/// A tar entry's data (which cannot seek) with its length, so <c>TarWriter</c> can write it into
/// another tar without buffering: it asks Length and Position once, then reads to the end.
/// Reads stop at the length even when the inner stream has more.
/// </summary>
public class KnownLengthStream(Stream inner, long length) : ReadOnlyStream
{
    private long _position;

    public override bool CanSeek => true; // TarWriter asks Length and Position once; nothing seeks

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer[..Remaining(buffer.Length)]);
        Passed(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer[..Remaining(buffer.Length)], cancellationToken).ConfigureAwait(false);
        Passed(buffer.Span[..n]);
        return n;
    }

    /// <summary>Sees every byte read, in order (a subclass hashes them).</summary>
    protected virtual void OnRead(ReadOnlySpan<byte> data)
    {
    }

    private int Remaining(int wanted) => (int)Math.Min(wanted, length - _position);

    private void Passed(ReadOnlySpan<byte> data)
    {
        OnRead(data);
        _position += data.Length;
    }
}
