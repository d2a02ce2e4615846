using System.IO.Compression;
using Spiro.Protocol.Bundles;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Spiro.Core.Bundles;

/// <summary>
/// Sits between the (decompressed) input and the TarReader: counts bytes produced to enforce the
/// expansion ratio against the compressed bytes consumed, turns decompressor failures into
/// rejections, lets <see cref="TarHeaderGuard"/> veto oversized metadata headers, and remembers
/// how many zero bytes ended the input so far, because TarReader treats a clean end of input at a
/// header boundary as a complete archive even without the end marker.
/// </summary>
internal sealed class TarInputMeter(Stream inner, PrefixedStream? compressed, BundleLimits limits) : ReadOnlyStream
{
    private readonly TarHeaderGuard _guard = new(limits.MaxHeaderBytes);

    public long BytesProduced { get; private set; }

    /// <summary>The data size the header guard computed for the last header read (see <see cref="TarHeaderGuard.LastEntrySize"/>).</summary>
    public long? ExpectedEntrySize => _guard.LastEntrySize;

    /// <summary>Consecutive zero bytes at the end of what has been read.</summary>
    public long TrailingZeros { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or EndOfStreamException)
        {
            throw Translate(e);
        }

        return Account(buffer[..n]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or EndOfStreamException)
        {
            throw Translate(e);
        }

        return Account(buffer.Span[..n]);
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        BytesProduced += read.Length;
        _guard.Feed(read);
        var lastNonZero = read.LastIndexOfAnyExcept((byte)0);
        TrailingZeros = lastNonZero < 0 ? TrailingZeros + read.Length : read.Length - lastNonZero - 1;

        if (compressed is not null && BytesProduced > limits.ExpansionRatioGraceBytes
            && BytesProduced > limits.MaxExpansionRatio * Math.Max(1, compressed.BytesRead))
        {
            throw new BundleRejectedException(
                BundleRules.ExpansionRatio,
                $"{compressed.BytesRead} compressed bytes expanded to {BytesProduced} bytes, more than {limits.MaxExpansionRatio}:1");
        }

        return read.Length;
    }

    private static BundleRejectedException Translate(Exception e) => e switch
    {
        EndOfStreamException => new BundleRejectedException(BundleRules.Truncated, $"compressed input ends early: {e.Message}"),
        ZstdException { Code: ZSTD_ErrorCode.ZSTD_error_frameParameter_windowTooLarge } => new BundleRejectedException(
            BundleRules.BadCompression, $"the zstd frame needs a decoder window over the limit of {1 << BundleExtraction.MaxZstdWindowLog} bytes (compress without --long or --ultra)"),
        _ => new BundleRejectedException(BundleRules.BadCompression, $"compressed input is corrupt: {e.Message}"),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
