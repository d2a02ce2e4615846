namespace Spiro.Core.Highstate;

/// <summary>Outcome of asking every minion for its top data.</summary>
public abstract record ShowTopResult
{
    private ShowTopResult()
    {
    }

    /// <summary>Salt ran and printed top data (possibly for no minion at all).</summary>
    public sealed record Answered(AffectedMinions Minions) : ShowTopResult;

    /// <summary>Salt could not be run, or failed without printing any top data.</summary>
    public sealed record Failed(string Message) : ShowTopResult;
}
