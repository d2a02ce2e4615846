namespace Spiro.Core.Bundles;

/// <summary>The outcome of reading an untrusted bundle into staging: accepted with its manifest, or rejected.</summary>
public abstract record BundleReadResult
{
    private BundleReadResult()
    {
    }

    /// <summary>Every entry passed every rule; the staging directory holds the extracted tree.</summary>
    /// <param name="Entries">Manifest entries sorted ordinally by path (files, dirs, empty dirs), per docs/storage.md, in the store's normalised form.</param>
    /// <param name="TotalBytes">Sum of file sizes (links to files count with their copied content).</param>
    /// <param name="GitCommit">Content of <c>.gitcommit</c> when present (first line is the commit hash).</param>
    public sealed record Accepted(IReadOnlyList<ManifestEntry> Entries, long TotalBytes, string? GitCommit) : BundleReadResult
    {
        /// <summary>
        /// Files the reader linked from known content (<see cref="IKnownContent"/>) instead of writing:
        /// they already are the content's object, as long as nothing removed that object meanwhile.
        /// </summary>
        public IReadOnlySet<string> ObjectPaths { get; init; } = new HashSet<string>();
    }

    /// <summary>The bundle broke a rule; staging has been removed.</summary>
    /// <param name="Entry">The offending entry name as it appeared in the archive, or null for whole-bundle problems.</param>
    /// <param name="Rule">Short rule id, e.g. <c>absolute-path</c>, <c>dot-dot</c>, <c>too-many-entries</c>.</param>
    /// <param name="Message">One-line human message naming the entry and the rule.</param>
    public sealed record Rejected(string? Entry, string Rule, string Message) : BundleReadResult;
}
