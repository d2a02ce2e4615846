using System.Formats.Tar;

namespace Spiro.Core.Bundles;

/// <summary>
/// The entry <see cref="TarStreamReader"/> stands at: one instance per reader, overwritten by
/// every header, so reading a bundle costs no object per entry (only the strings it keeps).
/// Names and link targets are already combined from the ustar prefix, GNU long names and PAX
/// records; <see cref="Size"/> already follows a PAX <c>size</c> record.
/// </summary>
internal sealed class TarEntryHeader
{
    private const int ExecBits = 0b001_001_001;

    public string Name { get; set; } = "";

    public TarEntryType Type { get; set; }

    public string? LinkName { get; set; }

    /// <summary>Bytes of data the entry carries in the archive.</summary>
    public long Size { get; set; }

    /// <summary>The permission bits of the header's mode field.</summary>
    public int Mode { get; set; }

    public bool Executable => (Mode & ExecBits) != 0;

    /// <summary>The PAX <see cref="ContentReference.Sha256Key"/> record, if the entry had one.</summary>
    public string? ReferenceSha256 { get; set; }

    /// <summary>The PAX <see cref="ContentReference.SizeKey"/> record, if the entry had one.</summary>
    public string? ReferenceSize { get; set; }
}
