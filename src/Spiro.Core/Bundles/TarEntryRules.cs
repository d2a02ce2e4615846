using System.Formats.Tar;
using System.Text;

namespace Spiro.Core.Bundles;

/// <summary>
/// The pure decision whether one tar entry's name, type and link target are safe to extract,
/// and its normalised path. Knows nothing about other entries (duplicates and collisions are
/// <see cref="BundleTree"/>'s job) or about the disk.
/// </summary>
internal static class TarEntryRules
{
    private const int MaxSegmentBytes = 255;

    public static EntryVerdict Check(string name, TarEntryType type, string? linkName, BundleLimits limits)
    {
        if (type == TarEntryType.GlobalExtendedAttributes)
        {
            return new EntryVerdict.Skip();
        }

        if (CheckName(name, limits) is { } badName)
        {
            return badName;
        }

        var kind = KindOf(type, name);
        if (kind is NodeKind.File or NodeKind.Directory && PlainDepth(name) is { } depth)
        {
            // Already normalised (the usual case): the same checks on spans, and the name is the path.
            return depth > limits.MaxDepth
                ? Reject(BundleRules.TooDeep, name, $"is deeper than {limits.MaxDepth} directories")
                : new EntryVerdict.Accept(name, kind.Value, null);
        }

        return CheckSegments(name, type, kind, linkName, limits);
    }

    /// <summary>What is wrong with the name as a whole, before it is split: characters, length, an absolute path.</summary>
    private static EntryVerdict.Reject? CheckName(string name, BundleLimits limits)
    {
        if (CheckCharacters(name, "entry", name) is { } badName)
        {
            return badName;
        }

        if (Encoding.UTF8.GetByteCount(name) > limits.MaxPathBytes)
        {
            return Reject(BundleRules.PathTooLong, name, $"is longer than {limits.MaxPathBytes} bytes");
        }

        return name.StartsWith('/') ? Reject(BundleRules.AbsolutePath, name, "is an absolute path") : null;
    }

    /// <summary>
    /// The slow path, for a name that is not already normalised or an entry that is not a plain file
    /// or directory: the name is split into segments, and '..' is refused before the type is, so a
    /// traversal is reported as one whatever its entry type.
    /// </summary>
    private static EntryVerdict CheckSegments(string name, TarEntryType type, NodeKind? kind, string? linkName, BundleLimits limits)
    {
        var segments = Segments(name);
        if (segments.Contains(".."))
        {
            return Reject(BundleRules.DotDot, name, "has a '..' segment");
        }

        if (kind is null)
        {
            return type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo
                ? Reject(BundleRules.SpecialFile, name, $"is a {type} entry; only files, directories and links to files are allowed")
                : Reject(BundleRules.UnsupportedType, name, $"has unsupported entry type {type}");
        }

        if (segments.Count == 0)
        {
            // "./" and the like: a directory entry for the root says nothing, a file needs a name.
            return kind == NodeKind.Directory
                ? new EntryVerdict.Skip()
                : Reject(BundleRules.EmptyName, name, "has no file name");
        }

        if (CheckSegmentBounds(name, segments, limits) is { } outOfBounds)
        {
            return outOfBounds;
        }

        var path = string.Join('/', segments);
        return kind switch
        {
            NodeKind.Symlink => CheckLink(name, path, linkName, segments.Take(segments.Count - 1), "symlink"),
            NodeKind.Hardlink => CheckLink(name, path, linkName, [], "hardlink"),
            _ => new EntryVerdict.Accept(path, kind.Value, null),
        };
    }

    private static EntryVerdict.Reject? CheckSegmentBounds(string name, List<string> segments, BundleLimits limits)
    {
        // Linux refuses longer file names (ENAMETOOLONG); say so instead of failing on disk.
        if (segments.Any(segment => Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes))
        {
            return Reject(BundleRules.PathTooLong, name, $"has a path segment longer than {MaxSegmentBytes} bytes");
        }

        return segments.Count > limits.MaxDepth
            ? Reject(BundleRules.TooDeep, name, $"is deeper than {limits.MaxDepth} directories")
            : null;
    }

    /// <summary>A symlink resolves from its own directory, a hardlink from the bundle root (tar stores its target's path).</summary>
    private static EntryVerdict CheckLink(string name, string path, string? linkName, IEnumerable<string> baseSegments, string what)
    {
        if (string.IsNullOrEmpty(linkName))
        {
            return Reject(BundleRules.DanglingLink, name, $"is a {what} with an empty target");
        }

        if (CheckCharacters(linkName, $"{what} target of", name) is { } badTarget)
        {
            return badTarget;
        }

        if (linkName.StartsWith('/'))
        {
            return Reject(BundleRules.LinkEscapes, name, $"is a {what} to absolute path '{Printable(linkName)}' outside the bundle");
        }

        var resolved = new List<string>(baseSegments);
        foreach (var segment in Segments(linkName))
        {
            if (segment != "..")
            {
                resolved.Add(segment);
            }
            else if (resolved.Count == 0)
            {
                return Reject(BundleRules.LinkEscapes, name, $"is a {what} to '{Printable(linkName)}', which leaves the bundle");
            }
            else
            {
                resolved.RemoveAt(resolved.Count - 1);
            }
        }

        if (resolved.Count == 0)
        {
            return Reject(BundleRules.LinkToDirectory, name, $"is a {what} to the bundle root directory; only links to files can be published");
        }

        return new EntryVerdict.Accept(path, what == "symlink" ? NodeKind.Symlink : NodeKind.Hardlink, string.Join('/', resolved));
    }

    private static EntryVerdict.Reject? CheckCharacters(string value, string what, string name)
    {
        if (value.Length == 0)
        {
            return new EntryVerdict.Reject(BundleRules.EmptyName, $"{what} '{Printable(name)}' is empty (rule {BundleRules.EmptyName})");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                var detail = c == '\0' ? "a NUL character" : $"control character U+{(int)c:X4}";
                return new EntryVerdict.Reject(BundleRules.ControlChar, $"{what} '{Printable(name)}' contains {detail} (rule {BundleRules.ControlChar})");
            }

            if (c == '\\')
            {
                return new EntryVerdict.Reject(BundleRules.Backslash, $"{what} '{Printable(name)}' contains a backslash (rule {BundleRules.Backslash})");
            }
        }

        return null;
    }

    private static NodeKind? KindOf(TarEntryType type, string name) => type switch
    {
        // Old V7 archives mark directories only by a trailing slash on a regular-file entry.
        TarEntryType.V7RegularFile when name.EndsWith('/') => NodeKind.Directory,
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => NodeKind.File,
        TarEntryType.Directory => NodeKind.Directory,
        TarEntryType.SymbolicLink => NodeKind.Symlink,
        TarEntryType.HardLink => NodeKind.Hardlink,
        _ => null,
    };

    /// <summary>
    /// The number of segments of a name that is already its normalised path (no empty, '.' or '..'
    /// segment, no leading or trailing '/') with every segment short enough; null for any other
    /// name, which takes the general path (and its messages).
    /// </summary>
    private static int? PlainDepth(string name)
    {
        var path = name.AsSpan();
        var depth = 0;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment is "." or ".." || Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return null;
            }

            depth++;
        }

        return depth;
    }

    /// <summary>Splits on '/', dropping empty and '.' segments: "./a//b/./c/" is a/b/c.</summary>
    private static List<string> Segments(string name) =>
        [.. name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(segment => segment != ".")];

    private static EntryVerdict.Reject Reject(string rule, string name, string why) =>
        new(rule, $"entry '{Printable(name)}' {why} (rule {rule})");

    /// <summary>Names go into one-line messages and logs: escape control characters, cap the length.</summary>
    public static string Printable(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 300));
        foreach (var c in value.Length > 300 ? value[..300] : value)
        {
            builder.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return value.Length > 300 ? builder.Append("...").ToString() : builder.ToString();
    }
}
