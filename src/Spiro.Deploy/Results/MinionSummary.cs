namespace Spiro.Deploy.Results;

/// <summary>What one minion's highstate came to, ready to print in one line (plus details).</summary>
/// <param name="Minion">Minion id.</param>
/// <param name="Kind">Shape of the value Salt returned.</param>
/// <param name="States">Every state, in run order (empty unless <see cref="MinionResultKind.States"/>).</param>
/// <param name="Messages">The error texts for <see cref="MinionResultKind.Errors"/>, <see cref="MinionResultKind.Message"/> and <see cref="MinionResultKind.Unknown"/>.</param>
internal sealed record MinionSummary(string Minion, MinionResultKind Kind, IReadOnlyList<StateOutcome> States, IReadOnlyList<string> Messages)
{
    public int Succeeded => States.Count(s => s.Result == true);

    public int Changed => States.Count(s => s.Result == true && s.Changed);

    public int Failed => States.Count(s => s.Result == false);

    /// <summary>States with result null: what test=True says would change.</summary>
    public int WouldChange => States.Count(s => s.Result is null);

    public double DurationMs => States.Sum(s => s.DurationMs);

    /// <summary>A minion failed when Salt gave no states, or any state failed.</summary>
    public bool IsFailure => Kind != MinionResultKind.States || Failed > 0;

    public IEnumerable<StateOutcome> FailedStates => States.Where(s => s.Result == false);
}
