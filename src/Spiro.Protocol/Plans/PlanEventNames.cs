namespace Spiro.Protocol.Plans;

/// <summary>SSE events of a plan's stream (v1 only), besides the deploy events it shares (docs/api.md "Plans").</summary>
public static class PlanEventNames
{
    /// <summary>The candidate is stored; data is a <see cref="PlanView"/> with the diff against live.</summary>
    public const string Plan = "plan";

    /// <summary>Which minions the candidate's and the live top data select; data is a <see cref="PlanMinionsEvent"/>.</summary>
    public const string PlanMinions = "plan-minions";
}
