using Spiro.Core.Highstate;
using Spiro.Protocol.Highstate;

namespace Spiro.Cli.Releases;

/// <summary>The highstate results kept with a release, as <c>spiro releases</c> shows them (issue #6 item 1).</summary>
internal static class ReleaseHighstate
{
    /// <summary>The latest run in one short cell: <c>m1 ok=2 changed=1 failed=0; m2 no-return</c>; empty when none ran.</summary>
    public static string Summary(IReadOnlyList<HighstateRun> runs)
    {
        if (runs.Count == 0)
        {
            return "";
        }

        var latest = runs[^1];
        var minions = string.Join("; ", latest.Minions.Select(Minion));
        return latest.Test ? "test: " + minions : minions;
    }

    private static string Minion(MinionSummary minion) => minion.Outcome switch
    {
        MinionOutcome.Succeeded or MinionOutcome.Failed => $"{minion.Minion} ok={minion.Ok} changed={minion.Changed} failed={minion.Failed}",
        _ => $"{minion.Minion} {minion.Outcome.ToText()}",
    };
}
