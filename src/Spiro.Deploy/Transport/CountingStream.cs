namespace Spiro.Deploy.Transport;

/// <summary>A write-only pass-through that counts bytes, so progress reports what went on the wire.</summary>
internal sealed class CountingStream(Stream inner, Action<long> onWritten) : Stream
{
    private long written;

    public long Written => written;

    /// <summary>Whether writing to the inner (network) stream failed, as opposed to producing the data.</summary>
    public bool InnerFailed { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Guard(() => inner.Write(buffer, offset, count));
        Advance(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch
        {
            InnerFailed = true;
            throw;
        }

        Advance(buffer.Length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        catch
        {
            InnerFailed = true;
            throw;
        }

        Advance(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch
        {
            InnerFailed = true;
            throw;
        }
    }

    private void Advance(int count)
    {
        written += count;
        onWritten(written);
    }
}
