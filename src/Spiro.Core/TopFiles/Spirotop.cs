namespace Spiro.Core.TopFiles;

/// <summary>A validated spirotop.sls: deployment sections in file order.</summary>
internal sealed record Spirotop(IReadOnlyList<SpirotopSection> Sections)
{
    public SpirotopSection? Find(string deployment) =>
        Sections.FirstOrDefault(section => string.Equals(section.Deployment, deployment, StringComparison.Ordinal));
}

/// <summary>One deployment's section: targets in file order.</summary>
internal sealed record SpirotopSection(string Deployment, IReadOnlyList<TopTarget> Targets);

/// <summary>One target (a minion glob or other matcher expression) and what it applies.</summary>
internal sealed record TopTarget(TopScalar Target, IReadOnlyList<TopItem> Items);

/// <summary>A list entry under a target: a state name, or a single-key option such as <c>match: grain</c>.</summary>
internal abstract record TopItem
{
    public sealed record State(TopScalar Name) : TopItem;

    public sealed record Option(TopScalar Key, TopScalar Value) : TopItem;
}

/// <summary>A scalar as written, so it is emitted with the same meaning (quoted strings stay strings).</summary>
internal sealed record TopScalar(string Text, bool Quoted);
