using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Testing.Server;

/// <summary>
/// The fake at the Salt boundary: yields a fixed highstate (in the events' real shapes) for a few
/// minions, the last <paramref name="down"/> of them not returning, optionally slowly.
/// </summary>
public sealed class ScriptedHighstate(TimeSpan? delay = null, int minions = 2, int down = 0) : IHighstateService
{
    public int Runs { get; private set; }

    /// <summary>Every request, in order.</summary>
    public List<HighstateRequest> Requests { get; } = [];

    public async IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Runs++;
        lock (Requests)
        {
            Requests.Add(request);
        }

        var names = Enumerable.Range(1, minions).Select(i => $"minion{i}").ToArray();
        var up = names[..^down];
        yield return DeployEvent.Message(DeployEventNames.HighstateCalc, $"Calculating minions for {request.SaltEnv}");
        yield return DeployEvent.Of(DeployEventNames.HighstateStart, new HighstateStartEvent("Highstate started", names, new Dictionary<string, string>()));
        var summaries = new List<MinionSummary>();
        foreach (var name in up)
        {
            await Task.Delay(delay ?? TimeSpan.Zero, cancellationToken);
            var ret = new JsonObject
            {
                ["file_|-motd_|-/etc/motd_|-managed"] = new JsonObject { ["result"] = true, ["comment"] = "ok", ["changes"] = new JsonObject(), ["__run_num__"] = 0 },
            };
            var result = CmdIterResult.Returned("20261125132351554067", ret, SaltRetcode.Of(ret));
            summaries.Add(MinionSummarizer.Summarize(name, result));
            yield return DeployEvent.Of(DeployEventNames.HighstateUpdate, new HighstateUpdateEvent($"{name} finished", name, result));
        }

        foreach (var name in names[^down..])
        {
            summaries.Add(MinionSummary.NeverReturned(name));
            yield return DeployEvent.Of(DeployEventNames.HighstateUpdate, new HighstateUpdateEvent($"{name}: did not return", name, CmdIterResult.Failed()));
        }

        var verdict = HighstateVerdict.Of(summaries, [], request.TolerateMissing);
        yield return DeployEvent.Of(DeployEventNames.HighstateFinish, new HighstateFinishEvent(
            "Highstate finished",
            summaries.ToDictionary(summary => summary.Minion, MinionReport.From, StringComparer.Ordinal),
            [.. verdict.Missing, .. verdict.Tolerated],
            new Dictionary<string, string>(),
            TolerateMissing: request.TolerateMissing,
            Passed: verdict.Passed));
    }
}
