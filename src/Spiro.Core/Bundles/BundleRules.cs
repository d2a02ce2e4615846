namespace Spiro.Core.Bundles;

/// <summary>The short rule ids a <see cref="BundleReadResult.Rejected"/> carries; stable, for logs, tests and API clients.</summary>
public static class BundleRules
{
    /// <summary>The input has no bytes at all.</summary>
    public const string EmptyInput = "empty-input";

    /// <summary>The (decompressed) input is not a tar archive, or a header is corrupt.</summary>
    public const string NotTar = "not-tar";

    /// <summary>The archive or a file in it ends early, or the end-of-archive marker is missing.</summary>
    public const string Truncated = "truncated";

    /// <summary>The gzip or zstd layer is corrupt.</summary>
    public const string BadCompression = "bad-compression";

    /// <summary>An entry has an empty name (or one that normalises to nothing and is not a directory).</summary>
    public const string EmptyName = "empty-name";

    /// <summary>An entry name or link target starts with '/'.</summary>
    public const string AbsolutePath = "absolute-path";

    /// <summary>An entry name has a '..' segment.</summary>
    public const string DotDot = "dot-dot";

    /// <summary>An entry name or link target contains a backslash.</summary>
    public const string Backslash = "backslash";

    /// <summary>An entry name or link target contains NUL or another control character.</summary>
    public const string ControlChar = "control-char";

    /// <summary>A symlink or hardlink target resolves outside the bundle.</summary>
    public const string LinkEscapes = "link-escapes";

    /// <summary>A symlink or hardlink points at a directory (only links to files are published).</summary>
    public const string LinkToDirectory = "link-to-directory";

    /// <summary>A symlink or hardlink points at nothing in the bundle.</summary>
    public const string DanglingLink = "dangling-link";

    /// <summary>Links point at each other in a loop.</summary>
    public const string LinkCycle = "link-cycle";

    /// <summary>A character device, block device or fifo entry.</summary>
    public const string SpecialFile = "special-file";

    /// <summary>A tar entry type we do not publish (sparse, multi-volume, ...).</summary>
    public const string UnsupportedType = "unsupported-type";

    /// <summary>The same normalised path appears twice.</summary>
    public const string DuplicateEntry = "duplicate-entry";

    /// <summary>A path is both a file (or link) and a directory.</summary>
    public const string PathCollision = "path-collision";

    /// <summary>More entries than <see cref="BundleLimits.MaxEntries"/>.</summary>
    public const string TooManyEntries = "too-many-entries";

    /// <summary>Files add up to more than <see cref="BundleLimits.MaxTotalBytes"/>.</summary>
    public const string TotalTooLarge = "total-too-large";

    /// <summary>One file is larger than <see cref="BundleLimits.MaxFileBytes"/>.</summary>
    public const string FileTooLarge = "file-too-large";

    /// <summary>An entry path is longer than <see cref="BundleLimits.MaxPathBytes"/> UTF-8 bytes.</summary>
    public const string PathTooLong = "path-too-long";

    /// <summary>An entry path has more segments than <see cref="BundleLimits.MaxDepth"/>.</summary>
    public const string TooDeep = "too-deep";

    /// <summary>A PAX or GNU long-name metadata entry is larger than <see cref="BundleLimits.MaxHeaderBytes"/>.</summary>
    public const string HeaderTooLarge = "header-too-large";

    /// <summary>A tar header or PAX record TarReader could read differently from the header guard (a size that is not plain digits, a malformed record, data after the end marker).</summary>
    public const string BadHeader = "bad-header";

    /// <summary>Two paths that differ only in Unicode normalisation or letter case (they collide on macOS and Windows minions).</summary>
    public const string CaseCollision = "case-collision";

    /// <summary>Compressed input expands by more than <see cref="BundleLimits.MaxExpansionRatio"/>.</summary>
    public const string ExpansionRatio = "expansion-ratio";

    /// <summary>A negotiated upload's file is neither in the upload nor content the server holds for the project (or that content is gone).</summary>
    public const string ContentMissing = "content-missing";

    /// <summary>A negotiated upload's file does not match the size or sha256 its plan announced.</summary>
    public const string ContentMismatch = "content-mismatch";
}
