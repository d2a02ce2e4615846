namespace Spiro.Core.TopFiles;

/// <summary>What the render gate decided.</summary>
public abstract record TopRenderVerdict
{
    private TopRenderVerdict()
    {
    }

    /// <summary>Every minion that answered rendered the top file.</summary>
    public sealed record Passed(string Message) : TopRenderVerdict;

    /// <summary>A minion's render failed (its error is in the message), or the check could not run: the release must not go live.</summary>
    public sealed record Refused(string Message) : TopRenderVerdict;
}
