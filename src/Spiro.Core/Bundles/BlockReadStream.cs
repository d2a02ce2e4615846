using Spiro.Protocol.Bundles;

namespace Spiro.Core.Bundles;

/// <summary>
/// Reads the input in large blocks, so the tar reader's many small reads (512-byte headers,
/// padding, small files) are memory copies instead of one call into the input each (for a
/// FileStream read asynchronously, one thread-pool hop each). Reads as large as the block go
/// straight through. The input is read, never disposed.
/// </summary>
internal sealed class BlockReadStream(Stream inner, byte[] block) : ReadOnlyStream
{
    private int _position;
    private int _length;

    public override int Read(Span<byte> buffer)
    {
        if (_position == _length)
        {
            if (buffer.Length >= block.Length)
            {
                return inner.Read(buffer);
            }

            _length = inner.Read(block);
            _position = 0;
        }

        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == _length)
        {
            if (buffer.Length >= block.Length)
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            _length = await inner.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            _position = 0;
        }

        return Take(buffer.Span);
    }

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(_length - _position, buffer.Length);
        block.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
