using System.Diagnostics;

namespace Spiro.Cluster.Sharing;

/// <summary>
/// Waiting, after a change moved a saltenv's pointer, until every live master serves it
/// (docs/cluster.md): a deploy and a plan apply before their highstate, a rollback, promote or
/// delete before it answers (the server's routes, and the CLI with <c>--config</c>). The masters
/// alive within <see cref="MasterRegistry.LiveWindow"/> when the wait starts count, and
/// <paramref name="me"/> always (the master that made the change). The set is fixed then: one that
/// stops heartbeating during the wait (stuck, SIGSTOPped) still serves the old release from its
/// data directory, so it is a laggard, never dropped; only one that says it stopped (a clean
/// shutdown) drops out. PostgreSQL errors reach the caller.
/// </summary>
public sealed class MastersConvergence(ClusterState state, MasterRegistry registry, string me)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> until every live master serves <paramref name="releaseId"/>
    /// in <paramref name="saltEnv"/> (null: the delete), or the pointer moved on (a later change);
    /// each master that does, or reports why it cannot yet, is told to <paramref name="progress"/>.
    /// </summary>
    public async Task<ConvergenceOutcome> WaitAsync(string saltEnv, string? releaseId, TimeSpan timeout, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var what = releaseId is null ? $"the delete of {saltEnv}" : $"release {releaseId} of {saltEnv}";
        var round = new Round(progress, what, Stopwatch.StartNew());
        var start = registry.Now();
        var counted = registry.Masters().Where(m => m.Name == me || m.LiveAt(start, MasterRegistry.LiveWindow)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            if (state.VersionOf(saltEnv, releaseId) is not { } version)
            {
                progress?.Report($"The cluster's pointer of {saltEnv} moved past {what} (a later change); not waiting for the other masters");
                return new ConvergenceOutcome(what, [.. round.Serving], [], MovedOn: true, timeout);
            }

            var now = registry.Now();
            var masters = registry.Masters().Where(m => counted.Contains(m.Name) && (m.Name == me || m.SeenAt is not null)).ToList();
            var applied = state.Applied(saltEnv).ToDictionary(a => a.Master, StringComparer.Ordinal);
            var waiting = masters.Where(master => !round.Serves(master.Name, applied.GetValueOrDefault(master.Name), version)).ToList();
            if (waiting.Count == 0 || round.Clock.Elapsed > timeout)
            {
                return new ConvergenceOutcome(what, [.. round.Serving], [.. waiting.Select(m => new Laggard(m.Name, Why(m, now, round)))], MovedOn: false, timeout);
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    // A laggard's latest error; for one that fell silent during the wait, that it did and since when.
    private string? Why(MasterRecord master, DateTimeOffset now, Round round)
    {
        var error = round.Errors.GetValueOrDefault(master.Name);
        if (master.Name == me || master.LiveAt(now, MasterRegistry.LiveWindow))
        {
            return error;
        }

        var silent = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stopped answering during the wait, last seen {master.SeenAt:u}");
        return error is null ? silent : $"{silent}; {error}";
    }

    /// <summary>What one wait has seen so far: who serves the change (reported once each), and each laggard's latest error.</summary>
    private sealed record Round(IProgress<string>? Progress, string What, Stopwatch Clock)
    {
        public List<string> Serving { get; } = [];

        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

        public bool Serves(string master, AppliedState? row, long version)
        {
            if (row is not null && row.Version >= version)
            {
                if (!Serving.Contains(master))
                {
                    Serving.Add(master);
                    Progress?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Master {master} {(What.StartsWith("release ", StringComparison.Ordinal) ? "serves" : "follows")} {What} ({Clock.Elapsed.TotalSeconds:0.0} s)"));
                }

                return true;
            }

            // Only an error about this change: one about an earlier release says nothing of this one.
            if (row?.ErrorAbout(version) is { } error && (!Errors.TryGetValue(master, out var seen) || seen != error))
            {
                Errors[master] = error;
                Progress?.Report($"Master {master} could not apply {What} yet: {error}");
            }

            return false;
        }
    }
}

/// <summary>A master counted when the wait started that did not serve a change in time, and why (its last error, or that it fell silent; null: nothing known).</summary>
public sealed record Laggard(string Master, string? Error);

/// <summary>What waiting for every live master came to (<see cref="MastersConvergence"/>).</summary>
/// <param name="What">The change, as messages name it (<c>release R of P/D</c>, <c>the delete of P/D</c>).</param>
/// <param name="Serving">The masters seen serving it, in the order they did.</param>
/// <param name="Laggards">The masters counted when the wait started that did not within the timeout (empty: all did).</param>
/// <param name="MovedOn">The pointer moved past the change before every master served it (a later change; nothing to wait for).</param>
/// <param name="Timeout">How long it waited at most.</param>
public sealed record ConvergenceOutcome(string What, IReadOnlyList<string> Serving, IReadOnlyList<Laggard> Laggards, bool MovedOn, TimeSpan Timeout)
{
    /// <summary>Every live master serves the change (or a later one replaced it).</summary>
    public bool Complete => Laggards.Count == 0;

    /// <summary>Null when <see cref="Complete"/>; otherwise the laggards by name, their errors and where the change is live.</summary>
    public string? Problem()
    {
        if (Complete)
        {
            return null;
        }

        var names = Laggards.Select(l => l.Master).ToList();
        var why = string.Join("; ", Laggards.Where(l => l.Error is not null).Select(l => $"{l.Master}: {l.Error}"));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Master{(names.Count == 1 ? "" : "s")} {string.Join(", ", names)} did not {(What.StartsWith("release ", StringComparison.Ordinal) ? "serve" : "follow")} {What} within {Timeout.TotalSeconds:0.#} s (cluster.apply_timeout)")
            + (why.Length > 0 ? $" ({why})" : "")
            + $"; it is live on {(Serving.Count == 0 ? "no master yet" : string.Join(", ", Serving))}";
    }
}
