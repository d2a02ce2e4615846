namespace Spiro.Protocol.Events;

/// <summary>
/// SSE event names of the compatible deploy protocol (docs/api.md, "Compatible endpoint"). Every event's data is
/// one line of JSON with at least a <c>msg</c> string.
/// </summary>
public static class DeployEventNames
{
    /// <summary>The bundle was received and published.</summary>
    public const string DeployBundle = "deploy-bundle";

    /// <summary>Working out which minions use the saltenv.</summary>
    public const string HighstateCalc = "highstate-calc";

    /// <summary>Highstate started; data has <c>minions</c>.</summary>
    public const string HighstateStart = "highstate-start";

    /// <summary>One minion returned; data has <c>minion</c> and <c>result</c> as Salt gave it.</summary>
    public const string HighstateUpdate = "highstate-update";

    /// <summary>All minions returned or timed out.</summary>
    public const string HighstateFinish = "highstate-finish";

    /// <summary>The deploy failed; data has <c>msg</c>.</summary>
    public const string Exception = "exception";
}
