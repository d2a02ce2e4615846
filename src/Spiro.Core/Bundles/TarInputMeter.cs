using System.IO.Compression;
using Spiro.Protocol.Bundles;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Spiro.Core.Bundles;

/// <summary>
/// Sits between the (decompressed) input and a tar reader: counts bytes produced to enforce the
/// expansion ratio against the compressed bytes consumed, turns decompressor failures into
/// rejections and, in front of System.Formats.Tar's TarReader (<paramref name="followHeaders"/>),
/// lets <see cref="TarHeaderGuard"/> veto oversized metadata headers, which TarReader would read
/// into memory whole. The bundle's own
/// <see cref="TarStreamReader"/> checks all of that itself.
/// </summary>
internal sealed class TarInputMeter(Stream inner, PrefixedStream? compressed, BundleLimits limits, bool followHeaders = true) : ReadOnlyStream
{
    private readonly TarHeaderGuard? _guard = followHeaders ? new(limits.MaxHeaderBytes) : null;

    public long BytesProduced { get; private set; }

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
        _guard?.Feed(read);

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
