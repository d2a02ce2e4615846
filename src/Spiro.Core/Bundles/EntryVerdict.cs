namespace Spiro.Core.Bundles;

/// <summary>What <see cref="TarEntryRules.Check"/> decided about one tar entry.</summary>
internal abstract record EntryVerdict
{
    private EntryVerdict()
    {
    }

    /// <summary>Nothing to extract (the root directory entry, a PAX global header).</summary>
    public sealed record Skip : EntryVerdict;

    /// <summary>Safe: extract as <paramref name="Kind"/> at the normalised <paramref name="Path"/>.</summary>
    /// <param name="LinkTarget">For links, the normalised bundle path the link points at.</param>
    public sealed record Accept(string Path, NodeKind Kind, string? LinkTarget) : EntryVerdict;

    /// <summary>Unsafe: the rule id and a one-line message naming the entry.</summary>
    public sealed record Reject(string Rule, string Message) : EntryVerdict;
}
