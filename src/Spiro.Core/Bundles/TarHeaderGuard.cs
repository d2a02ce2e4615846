using System.Globalization;
using System.Text;

namespace Spiro.Core.Bundles;

/// <summary>
/// Follows the tar stream block by block ahead of TarReader, which reads a PAX ('x', 'g') or GNU
/// long-name ('L', 'K') metadata entry into memory whole, whatever size its header claims. The
/// guard rejects such a header above <see cref="BundleLimits.MaxHeaderBytes"/> before TarReader
/// sees it. It tracks entry sizes the way TarReader does (a PAX <c>size</c> record overrides the
/// next header's size field) so it stays on header boundaries. Where TarReader could read a size
/// differently (a loosely written PAX <c>size</c>, a malformed PAX record), the bundle is rejected
/// rather than followed, and after the first zero block only zero bytes may follow. It guards
/// TarReader where the store still uses it (the negotiated upload's missing files, see
/// <c>Releases/Deltas</c>); bundles are read by <see cref="TarStreamReader"/>, which checks the
/// same bounds itself.
/// </summary>
internal sealed class TarHeaderGuard(long maxHeaderBytes)
{
    private const int Block = 512;
    private readonly byte[] _header = new byte[Block];
    private int _headerFill;
    private long _skip;
    private byte[]? _pax;
    private int _paxFill;
    private long? _nextSize;
    private bool _ended;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_ended)
            {
                // TarReader stops at the first zero block. If it reads on, it disagrees with the guard about
                // where headers are, and a header the guard never saw could make it allocate without limit.
                if (bytes.ContainsAnyExcept((byte)0))
                {
                    throw new BundleRejectedException(BundleRules.BadHeader, "the tar stream goes on after a block the header guard took for the end of the archive");
                }

                return;
            }

            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, bytes.Length);
                CollectPax(bytes[..n]);
                bytes = bytes[n..];
                _skip -= n;
                if (_skip == 0)
                {
                    FinishPax();
                }

                continue;
            }

            var take = Math.Min(Block - _headerFill, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            bytes = bytes[take..];
            if (_headerFill == Block)
            {
                _headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            _ended = true; // TarReader stops at the first zero block too
            return;
        }

        // An unreadable size is TarReader's to report (not-tar); stop following. Should TarReader read
        // on anyway, the first non-zero byte after this header is rejected (see Feed).
        if (ParseSize(_header.AsSpan(124, 12)) is not { } size)
        {
            _ended = true;
            return;
        }

        var type = (char)_header[156];
        if (type is 'x' or 'g' or 'L' or 'K')
        {
            if (size > maxHeaderBytes)
            {
                throw new BundleRejectedException(
                    BundleRules.HeaderTooLarge,
                    $"a tar metadata entry (type '{type}') claims {size} bytes, more than the limit of {maxHeaderBytes}");
            }

            if (type is 'x' or 'g')
            {
                _pax = new byte[size];
                _paxFill = 0;
            }
        }
        else if (_nextSize is { } paxSize)
        {
            size = paxSize;
            _nextSize = null;
        }

        // Saturates instead of overflowing for base-256 sizes near long.MaxValue (the file size limit rejects those).
        _skip = size > long.MaxValue - Block ? long.MaxValue : (size + Block - 1) / Block * Block;
        if (_skip == 0)
        {
            FinishPax();
        }
    }

    private void CollectPax(ReadOnlySpan<byte> bytes)
    {
        if (_pax is null || _paxFill >= _pax.Length)
        {
            return;
        }

        var n = Math.Min(bytes.Length, _pax.Length - _paxFill);
        bytes[..n].CopyTo(_pax.AsSpan(_paxFill));
        _paxFill += n;
    }

    private void FinishPax()
    {
        if (_pax is null)
        {
            return;
        }

        var global = (char)_header[156] == 'g';
        var size = PaxSize(_pax);
        _pax = null;
        if (size is null)
        {
            return;
        }

        if (global)
        {
            // Would resize every later entry; no bundle writer does this, and following it is not worth the risk.
            throw new BundleRejectedException(BundleRules.UnsupportedType, "a PAX global header sets 'size', which bundles may not do");
        }

        _nextSize = size;
    }

    /// <summary>
    /// The value of the <c>size</c> record in PAX data, if any. Records are read as TarReader reads
    /// them ("LEN key=value\n", LEN counting the whole record); any record TarReader would not read
    /// the same way, and any <c>size</c> that is not plain decimal digits, rejects the bundle, so the
    /// guard never follows a size TarReader parses differently (it accepts " 12" and "+12").
    /// </summary>
    internal static long? PaxSize(ReadOnlySpan<byte> data)
    {
        long? size = null;
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var space = data.IndexOf((byte)' ');
            if (newline < 0 || space < 0 || space > newline
                || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length != newline + 1)
            {
                throw BadHeader("a PAX extended header has a malformed record");
            }

            var record = data[(space + 1)..newline];
            data = data[(newline + 1)..];
            var equals = record.IndexOf((byte)'=');
            if (equals < 0)
            {
                throw BadHeader("a PAX extended header has a record without '='");
            }

            if (!record[..equals].SequenceEqual("size"u8))
            {
                continue;
            }

            var value = record[(equals + 1)..];
            if (size is not null)
            {
                throw BadHeader("a PAX extended header has two 'size' records");
            }

            if (value.IsEmpty || value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw BadHeader($"a PAX extended header has size '{TarEntryRules.Printable(Encoding.UTF8.GetString(value))}', which is not a plain decimal number");
            }

            size = parsed;
        }

        return size;
    }

    private static BundleRejectedException BadHeader(string message) => new(BundleRules.BadHeader, message);

    /// <summary>A tar size field: octal digits (space or NUL terminated), or GNU base-256 when the top bit is set.</summary>
    internal static long? ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7f;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return null;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        long octal = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' && digits == 0)
            {
                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                break;
            }

            octal = (octal << 3) | (uint)(b - '0');
            digits++;
        }

        return octal;
    }
}
