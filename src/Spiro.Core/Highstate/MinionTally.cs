namespace Spiro.Core.Highstate;

/// <summary>How the minions of one stored highstate run ended, in counts.</summary>
/// <param name="ReleaseId">The release the run was for.</param>
/// <param name="Minions">Minions in the run.</param>
/// <param name="Succeeded">Minions whose highstate succeeded.</param>
/// <param name="Test">Whether it ran with <c>test=True</c>.</param>
public sealed record MinionTally(string ReleaseId, int Minions, int Succeeded, bool Test)
{
    /// <summary>Minions that failed, did not render, did not return or raised an error.</summary>
    public int NotSucceeded => Minions - Succeeded;
}
