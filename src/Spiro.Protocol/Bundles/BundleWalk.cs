namespace Spiro.Protocol.Bundles;

/// <summary>
/// The entries of a bundle in the order <see cref="BundleBuilder"/> writes them, as
/// <see cref="BundleItem"/>s: the one traversal the full upload, the negotiated upload's plan and
/// its missing-files tar all share, so the three can never disagree about names or order.
/// Laid out as Python's <c>tarfile.add</c> does: directories first (name ending in '/'), children
/// in sorted order, symlinks as symlinks (never followed out of the tree).
/// </summary>
internal static class BundleWalk
{
    public static async Task<List<BundleItem>> ItemsAsync(BundleSpec spec, CancellationToken cancellationToken)
    {
        var project = Path.GetFullPath(spec.ProjectDirectory);
        var salt = Path.TrimEndingDirectorySeparator(Path.GetFullPath(spec.SaltDirectory, project));
        // spiro-deploy's own state (its hash cache) is never part of a bundle, whatever is bundled.
        var state = Path.Combine(project, BundleBuilder.ClientStateDirectory);
        bool Skip(string path) => path == state;

        var items = new List<BundleItem>();
        foreach (var child in SortedChildren(salt))
        {
            Add(items, child, Path.GetFileName(child), Skip);
        }

        foreach (var artifact in spec.Artifacts)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(artifact, project));
            Add(items, full, "_artifacts/" + BundleBuilder.ArtifactName(project, full), Skip);
        }

        if (spec.IncludeSource == BundleBuilder.SourceFromFileSystem)
        {
            Add(items, project, "_source", path => Skip(path) || path == salt || Path.GetFileName(path) == ".git");
        }
        else if (spec.IncludeSource == BundleBuilder.SourceFromGit)
        {
            foreach (var file in await BundleBuilder.GitFilesAsync(project, salt, cancellationToken).ConfigureAwait(false))
            {
                if (!file.StartsWith(BundleBuilder.ClientStateDirectory + "/", StringComparison.Ordinal))
                {
                    Add(items, Path.Combine(project, file), "_source/" + file, null);
                }
            }
        }

        if (spec.GitCommit is { } commit)
        {
            items.Add(new BundleItem(".gitcommit", null, System.Text.Encoding.UTF8.GetBytes(commit), (UnixFileMode)0b110_100_100));
        }

        return items;
    }

    private static void Add(List<BundleItem> items, string fullPath, string entryName, Func<string, bool>? skip)
    {
        if (skip?.Invoke(fullPath) == true)
        {
            return;
        }

        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null || !info.Attributes.HasFlag(FileAttributes.Directory))
        {
            items.Add(new BundleItem(entryName, fullPath, null, default));
            return;
        }

        items.Add(new BundleItem(entryName + "/", fullPath, null, default));
        foreach (var child in SortedChildren(fullPath))
        {
            Add(items, child, entryName + "/" + Path.GetFileName(child), skip);
        }
    }

    public static List<string> SortedChildren(string directory)
    {
        var children = Directory.EnumerateFileSystemEntries(directory).ToList();
        children.Sort(StringComparer.Ordinal);
        return children;
    }
}
