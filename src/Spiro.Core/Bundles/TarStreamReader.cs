using System.Buffers;
using System.Formats.Tar;
using System.Text;

namespace Spiro.Core.Bundles;

/// <summary>
/// The bundle's tar parser: ustar (with its name prefix), V7, GNU long names and links ('L', 'K')
/// and PAX extended headers ('x', 'g'), read from one large buffer. Headers and small files are
/// spans of that buffer (the input is read once per refill, the only await on the way), and the
/// current entry is one reused <see cref="TarEntryHeader"/>: no object per entry, no stream per
/// entry's data. Every bound is checked here: header checksums, sizes that fit a long, metadata
/// entries of at most <see cref="BundleLimits.MaxHeaderBytes"/> and no more than
/// <see cref="MaxMetadataRun"/> of them before an entry, strict PAX records (see
/// <see cref="PaxRecords"/>), and an input that ends anywhere but after the end-of-archive block
/// is truncated. Names are decoded as UTF-8; what they may be is <see cref="TarEntryRules"/>' call.
/// </summary>
internal sealed class TarStreamReader(Stream input, byte[] buffer, long maxHeaderBytes)
{
    private const int Block = 512;

    /// <summary>Metadata entries ('x', 'L', 'K') allowed in a row before the entry they describe; writers use one or two.</summary>
    internal const int MaxMetadataRun = 8;

    // Reads of entry data at least this large skip the buffer when it is empty (no copy of large files).
    private const int DirectReadBytes = 64 * 1024;

    private int _start;
    private int _end;
    private long _dataLeft;
    private int _padding;
    private bool _ended;

    /// <summary>The entry the last <see cref="NextAsync"/> returned.</summary>
    public TarEntryHeader Entry { get; } = new();

    /// <summary>Bytes of data of <see cref="Entry"/> not read yet (skipped by the next <see cref="NextAsync"/>).</summary>
    public long DataLeft => _dataLeft;

    /// <summary>
    /// Moves to the next entry (skipping what is left of the current one's data); false at the
    /// end-of-archive block. GNU long names and PAX headers are applied, not returned; a PAX
    /// global header is returned as an entry of its own (type <see cref="TarEntryType.GlobalExtendedAttributes"/>).
    /// </summary>
    public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        // Two skips: a size near long.MaxValue (which the size limit rejects before reading) cannot overflow.
        if (!await SkipAsync(_dataLeft, cancellationToken).ConfigureAwait(false) || !await SkipAsync(_padding, cancellationToken).ConfigureAwait(false))
        {
            throw new TarFormatException(BundleRules.Truncated, "bundle ends in the middle of the data", inData: true);
        }

        _dataLeft = 0;
        _padding = 0;
        var pax = default(PaxRecords);
        string? longName = null;
        string? longLink = null;
        for (var metadata = 0; ; metadata++)
        {
            if (!await FillAsync(Block, cancellationToken).ConfigureAwait(false))
            {
                throw new TarFormatException(BundleRules.Truncated, _end == _start
                    ? (metadata == 0 ? "bundle ends without the tar end-of-archive marker" : "bundle ends after a tar metadata header, before its entry")
                    : "bundle ends in the middle of a tar header");
            }

            var header = buffer.AsSpan(_start, Block);
            if (!header.ContainsAnyExcept((byte)0))
            {
                _start += Block;
                _ended = true;
                return metadata == 0
                    ? false
                    : throw new TarFormatException(BundleRules.Truncated, "bundle ends after a tar metadata header, before its entry");
            }

            var size = CheckedSize(header);
            var type = (char)header[156];
            if (type is not ('x' or 'g' or 'L' or 'K'))
            {
                ReadEntry(header, size, ref pax, longName, longLink);
                _start += Block;
                return true;
            }

            if (size > maxHeaderBytes || size > Array.MaxLength)
            {
                throw new TarFormatException(BundleRules.HeaderTooLarge, $"a tar metadata entry (type '{type}') claims {size} bytes, more than the limit of {maxHeaderBytes}");
            }

            if (metadata >= MaxMetadataRun)
            {
                throw new TarFormatException(BundleRules.BadHeader, $"more than {MaxMetadataRun} tar metadata headers in a row");
            }

            var globalName = type == 'g' ? Utf8Field(header[..100]) : null;
            _start += Block;
            var data = ArrayPool<byte>.Shared.Rent((int)size);
            try
            {
                if (!await ReadExactlyAsync(data.AsMemory(0, (int)size), cancellationToken).ConfigureAwait(false)
                    || !await SkipAsync(Padding(size), cancellationToken).ConfigureAwait(false))
                {
                    throw new TarFormatException(BundleRules.Truncated, $"bundle ends in the middle of a tar metadata entry (type '{type}')");
                }

                var content = data.AsSpan(0, (int)size);
                switch (type)
                {
                    case 'x':
                        pax.Parse(content);
                        break;
                    case 'g':
                        var global = default(PaxRecords);
                        global.Parse(content);
                        if (global.Size is not null)
                        {
                            // Would resize every later entry; no bundle writer does this, and following it is not worth the risk.
                            throw new TarFormatException(BundleRules.UnsupportedType, "a PAX global header sets 'size', which bundles may not do");
                        }

                        Entry.Name = globalName!;
                        Entry.Type = TarEntryType.GlobalExtendedAttributes;
                        Entry.LinkName = null;
                        Entry.Size = 0;
                        Entry.ReferenceSha256 = Entry.ReferenceSize = null;
                        return true;
                    case 'L':
                        longName = Utf8Field(content);
                        break;
                    default:
                        longLink = Utf8Field(content);
                        break;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>'s length of the entry's data; 0 once it is all read (or the input ended early).</summary>
    public async ValueTask<int> ReadDataAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var want = (int)Math.Min(destination.Length, _dataLeft);
        if (want == 0)
        {
            return 0;
        }

        int n;
        if (_start == _end && want >= DirectReadBytes)
        {
            n = await input.ReadAsync(destination[..want], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (_start == _end && !await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            n = Math.Min(want, _end - _start);
            buffer.AsSpan(_start, n).CopyTo(destination.Span);
            _start += n;
        }

        _dataLeft -= n;
        return n;
    }

    /// <summary>Fills <paramref name="destination"/> from the entry's data; returns fewer bytes only when the input ended early.</summary>
    public async ValueTask<int> ReadDataFullyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = await ReadDataAsync(destination[total..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>
    /// After the end-of-archive block only zero padding may follow (tar pads to its record size),
    /// at most <paramref name="maxBytes"/>: anything else (a second archive after the first,
    /// entries after a lone zero block) would otherwise be dropped unseen.
    /// </summary>
    public async ValueTask CheckOnlyZerosFollowAsync(long maxBytes, CancellationToken cancellationToken)
    {
        long after = 0;
        do
        {
            var rest = buffer.AsSpan(_start, _end - _start);
            if (rest.ContainsAnyExcept((byte)0))
            {
                throw new TarFormatException(BundleRules.BadHeader, "the tar stream goes on after its end-of-archive block (a second archive or entries after a zero block are not read)");
            }

            after += rest.Length;
            if (after > maxBytes)
            {
                throw new TarFormatException(BundleRules.BadHeader, $"more than {maxBytes} bytes follow the tar end-of-archive marker");
            }

            _start = _end = 0;
        }
        while (await FillAsync(1, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sets <see cref="Entry"/> from a file, directory, link or other non-metadata header and what the metadata before it said.</summary>
    private void ReadEntry(ReadOnlySpan<byte> header, long size, ref PaxRecords pax, string? longName, string? longLink)
    {
        if (pax.Sparse)
        {
            throw new TarFormatException(BundleRules.UnsupportedType, "a PAX header describes a GNU sparse file, which bundles may not hold");
        }

        Entry.Name = pax.Path ?? longName ?? HeaderName(header);
        Entry.Type = (TarEntryType)header[156];
        Entry.LinkName = pax.LinkPath ?? longLink ?? NullableField(header.Slice(157, 100));
        Entry.Mode = (int)(Octal(header.Slice(100, 8)) & 0xfff);
        Entry.Size = pax.Size ?? size;
        Entry.ReferenceSha256 = pax.ReferenceSha256;
        Entry.ReferenceSize = pax.ReferenceSize;
        _dataLeft = Entry.Size;
        _padding = Padding(Entry.Size);
    }

    /// <summary>The header's size after its checksum checked out: octal, or GNU base-256.</summary>
    private static long CheckedSize(ReadOnlySpan<byte> header)
    {
        var stored = Octal(header.Slice(148, 8));
        var field = header.Slice(148, 8);
        // The checksum counts its own field as eight spaces.
        var unsigned = UnsignedSum(header) - UnsignedSum(field) + (8 * ' ');
        if (stored != unsigned && stored != SignedSum(header) - SignedSum(field) + (8 * ' '))
        {
            // Some old writers summed signed bytes; both are accepted, as GNU tar does.
            throw new TarFormatException(BundleRules.NotTar, "not a valid tar archive: a header's checksum does not match its bytes");
        }

        return TarHeaderGuard.ParseSize(header.Slice(124, 12)) is { } size
            ? size
            : throw new TarFormatException(BundleRules.NotTar, "not a valid tar archive: a header's size field does not fit a 64-bit size");
    }

    /// <summary>The sum of the bytes, eight at a time (16-bit lanes cannot overflow within one 512-byte header).</summary>
    private static long UnsignedSum(ReadOnlySpan<byte> bytes)
    {
        const ulong Lanes = 0x00ff_00ff_00ff_00ffUL;
        ulong pairs = 0;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words)
        {
            pairs += (word & Lanes) + ((word >> 8) & Lanes);
        }

        long sum = (long)((pairs & 0xffff) + ((pairs >> 16) & 0xffff) + ((pairs >> 32) & 0xffff) + (pairs >> 48));
        foreach (var b in bytes[(words.Length * 8)..])
        {
            sum += b;
        }

        return sum;
    }

    private static long SignedSum(ReadOnlySpan<byte> bytes)
    {
        long sum = 0;
        foreach (var b in bytes)
        {
            sum += (sbyte)b;
        }

        return sum;
    }

    /// <summary>The name field, behind the ustar prefix field when the header is ustar (GNU headers use those bytes for times).</summary>
    private static string HeaderName(ReadOnlySpan<byte> header)
    {
        var name = Utf8Field(header[..100]);
        if (!header.Slice(257, 6).SequenceEqual("ustar\0"u8))
        {
            return name;
        }

        var prefix = Utf8Field(header.Slice(345, 155));
        return prefix.Length == 0 ? name : string.Concat(prefix, "/", name);
    }

    private static string? NullableField(ReadOnlySpan<byte> field) => field[0] == 0 ? null : Utf8Field(field);

    /// <summary>A NUL-terminated (or full) field as UTF-8.</summary>
    private static string Utf8Field(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>An octal number field: leading spaces, digits, then anything (space or NUL by the standard).</summary>
    private static long Octal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        var i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }

        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            value = (value << 3) | (uint)(field[i] - '0');
        }

        return value;
    }

    private static int Padding(long size) => (int)((Block - (size % Block)) % Block);

    /// <summary>Makes at least <paramref name="count"/> bytes (at most the buffer's size) available; false if the input ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            var n = await input.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            _end += n;
        }

        return true;
    }

    private async ValueTask<bool> SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }

        return true;
    }

    private async ValueTask<bool> ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (!destination.IsEmpty)
        {
            if (_start == _end && !await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var n = Math.Min(destination.Length, _end - _start);
            buffer.AsSpan(_start, n).CopyTo(destination.Span);
            _start += n;
            destination = destination[n..];
        }

        return true;
    }
}
