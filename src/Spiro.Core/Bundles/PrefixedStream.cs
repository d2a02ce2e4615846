using Spiro.Protocol.Bundles;

namespace Spiro.Core.Bundles;

/// <summary>Replays the few bytes read to sniff the format, then continues with the rest of the input.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : ReadOnlyStream
{
    private int _offset;

    /// <summary>Bytes handed out so far (compressed bytes consumed, when this feeds a decompressor).</summary>
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = TakePrefix(buffer);
        if (n == 0)
        {
            n = inner.Read(buffer);
        }

        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = TakePrefix(buffer.Span);
        if (n == 0)
        {
            n = await inner.ReadAsync(buffer, cancellationToken);
        }

        BytesRead += n;
        return n;
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(prefix.Length - _offset, buffer.Length);
        prefix.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }
}
