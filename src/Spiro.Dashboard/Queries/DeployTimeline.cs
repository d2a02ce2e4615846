using Spiro.Protocol.Highstate;
using Spiro.Core.Deploys;
using Spiro.Core.Highstate;

namespace Spiro.Dashboard.Queries;

/// <summary>A deploy as its stored events tell it.</summary>
/// <param name="Deploy">The deploy row.</param>
/// <param name="Events">Every event in order, with its message.</param>
/// <param name="Minions">Each minion's highstate result from its <c>highstate-update</c> event, in arrival order.</param>
internal sealed record DeployTimeline(DeployRecord Deploy, IReadOnlyList<DeployEventLine> Events, IReadOnlyList<MinionSummary> Minions)
{
    /// <summary>The last event's sequence number: where a live page resumes the stream.</summary>
    public long LastSeq => Events.Count == 0 ? 0 : Events[^1].Seq;
}
