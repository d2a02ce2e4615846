namespace Spiro.Core.Bundles;

/// <summary>
/// The paths of a bundle seen so far: catches duplicates and file-versus-directory collisions as
/// entries arrive, resolves links once every entry is known, and produces the manifest.
/// Pure bookkeeping: it never touches the disk.
/// </summary>
internal sealed class BundleTree
{
    private readonly int _maxNodes;

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    // Parents are looked up by span: a file in a known directory costs no string per ancestor.
    private readonly Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _nodesBySpan;

    // Folded path (see PathFold) to the path that claimed it: minions caching the saltenv on
    // case-insensitive or normalising file systems (macOS, Windows) would merge such paths.
    private readonly Dictionary<string, string> _folded = new(StringComparer.Ordinal);
    private readonly List<string> _links = [];

    /// <param name="maxNodes">
    /// Most paths the tree may hold, directories implied by deeper paths included: one header can
    /// imply up to <see cref="BundleLimits.MaxDepth"/> directories, so counting headers alone would
    /// let the entry limit be multiplied.
    /// </param>
    public BundleTree(int maxNodes = int.MaxValue)
    {
        _maxNodes = maxNodes;
        _nodesBySpan = _nodes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public sealed class Node(NodeKind kind, string entryName)
    {
        public NodeKind Kind { get; set; } = kind;

        /// <summary>The raw archive name that created the node (for messages).</summary>
        public string EntryName { get; } = entryName;

        /// <summary>A directory entry was in the archive (as opposed to implied by a file below it).</summary>
        public bool Explicit { get; set; }

        public bool HasChildren { get; set; }

        public string? LinkTarget { get; init; }

        public long Size { get; set; }

        public bool Executable { get; set; }

        public string? Sha256 { get; set; }

        /// <summary>The staged file was linked from the store's object (known content): it is that object's inode already.</summary>
        public bool IsObject { get; set; }
    }

    /// <summary>Links in archive order, to resolve once every entry has been read.</summary>
    public IReadOnlyList<string> Links => _links;

    /// <summary>Records <paramref name="path"/>; returns a rejection when it duplicates or collides with an earlier path.</summary>
    public EntryVerdict.Reject? Add(string entryName, string path, NodeKind kind, string? linkTarget)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        while (slash >= 0)
        {
            if (_nodesBySpan.TryGetValue(path.AsSpan(0, slash), out var existing))
            {
                if (existing.Kind != NodeKind.Directory)
                {
                    return Collision(entryName, $"needs '{TarEntryRules.Printable(path[..slash])}' to be a directory, but entry '{TarEntryRules.Printable(existing.EntryName)}' made it a {Describe(existing.Kind)}");
                }

                existing.HasChildren = true;
            }
            else if (Insert(path[..slash], new Node(NodeKind.Directory, entryName) { HasChildren = true }) is { } rejection)
            {
                return rejection;
            }

            slash = path.IndexOf('/', slash + 1);
        }

        if (_nodes.TryGetValue(path, out var same))
        {
            if (same.Kind == NodeKind.Directory && kind == NodeKind.Directory && !same.Explicit)
            {
                same.Explicit = true;
                return null;
            }

            if (same.Kind == NodeKind.Directory && kind == NodeKind.Directory || same.Kind != NodeKind.Directory && kind != NodeKind.Directory)
            {
                return new EntryVerdict.Reject(BundleRules.DuplicateEntry, $"entry '{TarEntryRules.Printable(entryName)}' duplicates entry '{TarEntryRules.Printable(same.EntryName)}' (both are '{TarEntryRules.Printable(path)}') (rule {BundleRules.DuplicateEntry})");
            }

            return Collision(entryName, $"is a {Describe(kind)}, but entry '{TarEntryRules.Printable(same.EntryName)}' made '{TarEntryRules.Printable(path)}' a {Describe(same.Kind)}");
        }

        if (Insert(path, new Node(kind, entryName) { Explicit = true, LinkTarget = linkTarget }) is { } refused)
        {
            return refused;
        }

        if (kind is NodeKind.Symlink or NodeKind.Hardlink)
        {
            _links.Add(path);
        }

        return null;
    }

    public Node Get(string path) => _nodes[path];

    public bool TryGet(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Node? node) => _nodes.TryGetValue(path, out node);

    /// <summary>Follows a link (through chains of links) to the regular file it ends at, or says why it cannot.</summary>
    public (string? FilePath, EntryVerdict.Reject? Rejection) ResolveLink(string linkPath)
    {
        var link = _nodes[linkPath];
        var seen = new HashSet<string>(StringComparer.Ordinal) { linkPath };
        var current = link.LinkTarget!;
        while (true)
        {
            if (!_nodes.TryGetValue(current, out var target))
            {
                return (null, LinkReject(BundleRules.DanglingLink, link, $"points at '{TarEntryRules.Printable(current)}', which is not in the bundle"));
            }

            switch (target.Kind)
            {
                case NodeKind.File:
                    return (current, null);
                case NodeKind.Directory:
                    return (null, LinkReject(BundleRules.LinkToDirectory, link, $"points at directory '{TarEntryRules.Printable(current)}'; only links to files can be published"));
            }

            if (!seen.Add(current))
            {
                return (null, LinkReject(BundleRules.LinkCycle, link, $"is part of a link cycle through '{TarEntryRules.Printable(current)}'"));
            }

            current = target.LinkTarget!;
        }
    }

    /// <summary>
    /// The manifest in its normalised form (what <c>ManifestEntries.Normalise</c> would return for
    /// it, so the store need not normalise it again): sorted ordinally, every parent listed,
    /// directories with content as Directory, others as EmptyDirectory, directories executable (mode 0555).
    /// </summary>
    public List<ManifestEntry> Manifest()
    {
        var entries = new List<ManifestEntry>(_nodes.Count);
        foreach (var (path, node) in _nodes)
        {
            entries.Add(node.Kind == NodeKind.Directory
                ? new ManifestEntry(path, node.HasChildren ? EntryKind.Directory : EntryKind.EmptyDirectory, 0, true, null)
                : new ManifestEntry(path, EntryKind.File, node.Size, node.Executable, node.Sha256));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <summary>Paths of the files that were linked from known content (see <see cref="Node.IsObject"/>).</summary>
    public HashSet<string> ObjectPaths()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, node) in _nodes)
        {
            if (node.IsObject)
            {
                paths.Add(path);
            }
        }

        return paths;
    }

    private EntryVerdict.Reject? Insert(string path, Node node)
    {
        if (_nodes.Count >= _maxNodes)
        {
            return new EntryVerdict.Reject(BundleRules.TooManyEntries, $"entry '{TarEntryRules.Printable(node.EntryName)}' is past the limit of {_maxNodes} entries (directories implied by deeper paths count too) (rule {BundleRules.TooManyEntries})");
        }

        var folded = PathFold.Fold(path);
        if (_folded.TryGetValue(folded, out var other))
        {
            return new EntryVerdict.Reject(BundleRules.CaseCollision, $"entry '{TarEntryRules.Printable(node.EntryName)}' makes '{TarEntryRules.Printable(path)}', which differs from '{TarEntryRules.Printable(other)}' (entry '{TarEntryRules.Printable(_nodes[other].EntryName)}') only in letter case or Unicode normalisation (rule {BundleRules.CaseCollision})");
        }

        _folded[folded] = path;
        _nodes[path] = node;
        return null;
    }

    private static EntryVerdict.Reject Collision(string entryName, string why) =>
        new(BundleRules.PathCollision, $"entry '{TarEntryRules.Printable(entryName)}' {why} (rule {BundleRules.PathCollision})");

    private static EntryVerdict.Reject LinkReject(string rule, Node link, string why) =>
        new(rule, $"entry '{TarEntryRules.Printable(link.EntryName)}' {why} (rule {rule})");

    private static string Describe(NodeKind kind) => kind switch
    {
        NodeKind.Directory => "directory",
        NodeKind.Symlink => "symlink",
        NodeKind.Hardlink => "hardlink",
        _ => "file",
    };
}
