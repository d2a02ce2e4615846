namespace Spiro.Protocol.Highstate;

/// <summary>The stable text form of <see cref="MinionOutcome"/> used in events, metrics and the database.</summary>
public static class MinionOutcomeText
{
    /// <summary><c>succeeded</c>, <c>failed</c>, <c>render-error</c>, <c>no-return</c> or <c>error</c>.</summary>
    public static string ToText(this MinionOutcome outcome) => outcome switch
    {
        MinionOutcome.Succeeded => "succeeded",
        MinionOutcome.Failed => "failed",
        MinionOutcome.RenderError => "render-error",
        MinionOutcome.NoReturn => "no-return",
        MinionOutcome.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Parses the text form; unknown text is <see cref="MinionOutcome.Error"/>.</summary>
    public static MinionOutcome Parse(string? text) => text switch
    {
        "succeeded" => MinionOutcome.Succeeded,
        "failed" => MinionOutcome.Failed,
        "render-error" => MinionOutcome.RenderError,
        "no-return" => MinionOutcome.NoReturn,
        _ => MinionOutcome.Error,
    };
}
