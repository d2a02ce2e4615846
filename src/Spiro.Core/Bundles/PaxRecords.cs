using System.Globalization;
using System.Text;

namespace Spiro.Core.Bundles;

/// <summary>
/// The records of one PAX extended header ("LEN key=value\n", LEN counting the whole record
/// including itself) that change how an entry is read: <c>path</c>, <c>linkpath</c>, <c>size</c>
/// and the store's content reference. Every other key (times, owners) is checked for form and
/// dropped. Strict where a loose reading could disagree with another tar reader about where the
/// next header starts: a malformed record, a <c>size</c> that is not plain decimal digits or a
/// second <c>size</c> rejects the bundle.
/// </summary>
internal struct PaxRecords
{
    public string? Path;
    public string? LinkPath;
    public long? Size;
    public string? ReferenceSha256;
    public string? ReferenceSize;

    /// <summary>A GNU.sparse.* record: the entry's data is a sparse map, not the file.</summary>
    public bool Sparse;

    /// <summary>Adds the records of <paramref name="data"/> (later records of a key win, as in PAX).</summary>
    public void Parse(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || space > 8
                || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
            {
                throw BadHeader("a PAX extended header has a malformed record");
            }

            var record = data[(space + 1)..(length - 1)];
            data = data[length..];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw BadHeader("a PAX extended header has a record without a key and '='");
            }

            var key = record[..equals];
            var value = record[(equals + 1)..];
            if (key.SequenceEqual("path"u8))
            {
                Path = Encoding.UTF8.GetString(value);
            }
            else if (key.SequenceEqual("linkpath"u8))
            {
                LinkPath = Encoding.UTF8.GetString(value);
            }
            else if (key.SequenceEqual("size"u8))
            {
                Size = Size is null ? PlainSize(value) : throw BadHeader("a PAX extended header has two 'size' records");
            }
            else if (key.SequenceEqual("SPIRO.content.sha256"u8))
            {
                ReferenceSha256 = Encoding.UTF8.GetString(value);
            }
            else if (key.SequenceEqual("SPIRO.content.size"u8))
            {
                ReferenceSize = Encoding.UTF8.GetString(value);
            }
            else if (key.StartsWith("GNU.sparse."u8))
            {
                Sparse = true;
            }
        }
    }

    private static long PlainSize(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            throw BadHeader($"a PAX extended header has size '{TarEntryRules.Printable(Encoding.UTF8.GetString(value))}', which is not a plain decimal number");
        }

        return parsed;
    }

    private static TarFormatException BadHeader(string message) => new(BundleRules.BadHeader, message);
}
