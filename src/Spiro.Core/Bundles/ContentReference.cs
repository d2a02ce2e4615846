using System.Globalization;

namespace Spiro.Core.Bundles;

/// <summary>
/// A file entry whose content is an object the store already holds: a zero-length PAX entry
/// naming the content's sha256 and size. Only the store writes these (rebuilding a negotiated
/// upload, see <c>Releases/Deltas</c>), and the reader honours them only when told to; in a
/// client's bundle they are ordinary empty files.
/// </summary>
internal static class ContentReference
{
    public const string Sha256Key = "SPIRO.content.sha256";
    public const string SizeKey = "SPIRO.content.size";

    public static Dictionary<string, string> Attributes(string sha256, long size) => new(StringComparer.Ordinal)
    {
        [Sha256Key] = sha256,
        [SizeKey] = size.ToString(CultureInfo.InvariantCulture),
    };

    public static bool TryRead(TarEntryHeader entry, out string sha256, out long size)
    {
        sha256 = entry.ReferenceSha256 ?? "";
        size = 0;
        return entry.Size == 0 && entry.ReferenceSha256 is not null && entry.ReferenceSize is { } text
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
