using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiro.Core.Names;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>
/// Highstates the minions whose top data lists a saltenv (docs/highstate.md): <c>state.show_top</c>
/// on every minion, the master's target matching for expected minions that did not answer, then a
/// streaming <c>state.highstate</c> on those that answered, one <c>highstate-update</c> per minion as
/// it returns (<c>{"failed": true}</c> at the end for each that did not), results stored with the release.
/// </summary>
public sealed class HighstateOrchestrator(
    ISaltClient salt,
    HighstateOptions options,
    HighstateResultStore? results,
    TimeProvider time,
    ILogger<HighstateOrchestrator>? logger = null) : IHighstateService
{
    /// <inheritdoc/>
    public TopFiles.ITopRenderGate? RenderGate { get; } = new TopRender(salt);

    private readonly ILogger _logger = logger ?? NullLogger<HighstateOrchestrator>.Instance;

    /// <inheritdoc />
    public async IAsyncEnumerable<DeployEvent> RunAsync(HighstateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var saltEnv = request.SaltEnv;
        var run = new RunState();
        await foreach (var step in FindAffectedAsync(request, run, cancellationToken))
        {
            yield return step;
        }

        if (run.Affected is not { } affected)
        {
            yield break;
        }

        var expected = await ExpectedMinions.FindAsync(salt, request.Targets, affected.Answered, cancellationToken);
        foreach (var note in expected.Notes)
        {
            _logger.LogWarning("Highstate of {SaltEnv}: {Note}", saltEnv, note);
        }

        if (affected.Minions.Count == 0 && expected.Missing.Count == 0)
        {
            yield return NothingToDo(saltEnv, affected, expected);
            yield break;
        }

        yield return Start(request, affected, expected);
        var collector = new HighstateCollector(affected.Minions, batchMode: !string.IsNullOrEmpty(options.BatchSize));
        if (affected.Minions.Count > 0)
        {
            await foreach (var update in HighstateAsync(request, affected.Minions, collector, run, cancellationToken))
            {
                yield return update;
            }

            if (run.End is SaltOutput.Unavailable unavailable)
            {
                yield return DeployEvent.Message(DeployEventNames.Exception, unavailable.Message);
                yield break;
            }
        }

        var (summaries, missing) = collector.Finish();
        var unheard = expected.Missing.Where(minion => !summaries.Any(summary => summary.Minion == minion)).ToList();
        summaries = [.. summaries, .. unheard.Select(minion => MinionSummary.NeverReturned(minion, "the minion did not answer state.show_top; it was not highstated"))];

        // cmd_iter(expect_minions=True) yields {"failed": true} for every minion that did not return, last.
        foreach (var minion in missing.Concat(unheard))
        {
            yield return DeployEvent.Of(DeployEventNames.HighstateUpdate, new HighstateUpdateEvent($"{minion}: did not return", minion, CmdIterResult.Failed()));
        }

        yield return new HighstateFinisher(results, time, _logger).Finish(request, affected, expected, collector, summaries, run.End as SaltOutput.Exited);
    }

    // The minions whose top data lists the saltenv (for a plan: with the candidate, and only when it is tested) go into run.Affected; left null after the event that says why not.
    private async IAsyncEnumerable<DeployEvent> FindAffectedAsync(HighstateRequest request, RunState run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var saltEnv = request.SaltEnv;
        yield return DeployEvent.Message(DeployEventNames.HighstateCalc, request.PlanSaltEnv is null
            ? $"Finding the minions whose top data lists {saltEnv}"
            : $"Finding the minions whose top data lists {saltEnv}, live and with the candidate (saltenv {request.PlanSaltEnv})");
        var found = await FindAffectedMinionsAsync(saltEnv, cancellationToken);
        if (found is ShowTopResult.Failed failed)
        {
            yield return DeployEvent.Message(DeployEventNames.Exception, failed.Message);
            yield break;
        }

        var affected = ((ShowTopResult.Answered)found).Minions;
        if (request.PlanSaltEnv is { } planned)
        {
            var live = affected;
            found = await FindAffectedMinionsAsync(planned, cancellationToken);
            if (found is ShowTopResult.Failed candidateFailed)
            {
                yield return DeployEvent.Message(DeployEventNames.Exception, candidateFailed.Message);
                yield break;
            }

            affected = ((ShowTopResult.Answered)found).Minions;
            yield return PlanMinions(live, affected);
            if (!request.Test)
            {
                yield break;
            }
        }

        run.Affected = affected;
    }

    // The streaming state.highstate: one highstate-update per minion as its return is complete; how salt ended goes into run.
    private async IAsyncEnumerable<DeployEvent> HighstateAsync(HighstateRequest request, IReadOnlyList<string> minions, HighstateCollector collector, RunState run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new SaltJsonSplitter();
        var arguments = HighstateCommand.Arguments(minions, request.PlanSaltEnv ?? request.SaltEnv.ToString(), request.Test, options);
        _logger.LogInformation("Running salt {Arguments}", string.Join(' ', arguments));
        await foreach (var output in salt.RunAsync(arguments, cancellationToken))
        {
            if (output is SaltOutput.Line line)
            {
                foreach (var update in Updates(splitter.Push(line.Text), collector))
                {
                    yield return update;
                }
            }
            else
            {
                run.End = output;
            }
        }

        foreach (var update in Updates(splitter.Finish(), collector))
        {
            yield return update;
        }
    }

    // What the steps (iterators, which have no out parameters) hand back: the minions found, how salt ended.
    private sealed class RunState
    {
        public AffectedMinions? Affected { get; set; }

        public SaltOutput? End { get; set; }
    }

    /// <summary>Runs <c>state.show_top</c> on every minion and keeps those whose top data lists <paramref name="saltEnv"/>.</summary>
    public Task<ShowTopResult> FindAffectedMinionsAsync(SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        return FindAffectedMinionsAsync(ShowTop.Arguments(), saltEnv.ToString(), cancellationToken);
    }

    /// <summary>
    /// Runs <c>state.show_top saltenv=<paramref name="planSaltEnv"/></c> on every minion: a plan
    /// saltenv is read only by a run that names it, and its top data is keyed by its own name.
    /// </summary>
    public Task<ShowTopResult> FindAffectedMinionsAsync(string planSaltEnv, CancellationToken cancellationToken) =>
        FindAffectedMinionsAsync(ShowTop.Arguments(planSaltEnv), planSaltEnv, cancellationToken);

    private async Task<ShowTopResult> FindAffectedMinionsAsync(IReadOnlyList<string> arguments, string saltEnv, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        SaltOutput? end = null;
        await foreach (var output in salt.RunAsync(arguments, cancellationToken))
        {
            if (output is SaltOutput.Line line)
            {
                lines.Add(line.Text);
            }
            else
            {
                end = output;
            }
        }

        var affected = ShowTop.Parse(lines, saltEnv);
        foreach (var skipped in affected.SkippedLines)
        {
            _logger.LogWarning("Ignored non-JSON output of state.show_top: {Line}", skipped);
        }

        foreach (var (minion, error) in affected.Errors)
        {
            _logger.LogWarning("Minion {Minion} returned no top data: {Error}", minion, error);
        }

        return end switch
        {
            SaltOutput.Unavailable unavailable => new ShowTopResult.Failed(unavailable.Message),
            SaltOutput.Exited { TimedOut: true } => new ShowTopResult.Failed("salt state.show_top did not finish in time and was stopped; no minions were highstated"),
            SaltOutput.Exited exited when exited.ExitCode != 0 && affected.Answered.Count == 0 =>
                new ShowTopResult.Failed($"salt state.show_top failed with exit code {exited.ExitCode}: {exited.StandardError.Trim()}"),
            _ => new ShowTopResult.Answered(affected),
        };
    }

    private static DeployEvent PlanMinions(AffectedMinions live, AffectedMinions candidate)
    {
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (minion, error) in live.Errors.Concat(candidate.Errors))
        {
            errors.TryAdd(minion, error);
        }

        var message = $"The candidate's top data selects {candidate.Minions.Count} minion(s) ({string.Join(", ", candidate.Minions)}); the live one selects {live.Minions.Count} ({string.Join(", ", live.Minions)})";
        return DeployEvent.Of(Protocol.Plans.PlanEventNames.PlanMinions, new Protocol.Plans.PlanMinionsEvent(message, live.Minions, candidate.Minions, errors));
    }

    private static DeployEvent Start(HighstateRequest request, AffectedMinions affected, ExpectedMinions expected)
    {
        var message = $"Highstating {affected.Minions.Count} minion(s) with saltenv={request.PlanSaltEnv ?? request.SaltEnv.ToString()}{(request.Test ? " test=True" : "")}: {string.Join(", ", affected.Minions)}";
        if (expected.Missing.Count > 0)
        {
            message += $"; expected but not answering: {string.Join(", ", expected.Missing)}";
        }

        return DeployEvent.Of(DeployEventNames.HighstateStart, new HighstateStartEvent(message, affected.Minions, affected.Errors, expected.Missing));
    }

    private IEnumerable<DeployEvent> Updates(SaltJsonLine? line, HighstateCollector collector)
    {
        if (line is SaltJsonLine.Skipped skipped)
        {
            collector.NoteSkipped(skipped.Text);
            if (collector.Jid.Length == 0 || !skipped.Text.StartsWith("jid: ", StringComparison.Ordinal))
            {
                _logger.LogWarning("Ignored non-JSON output of state.highstate: {Line}", skipped.Text);
            }
        }

        if (line is not SaltJsonLine.Document document)
        {
            yield break;
        }

        var (fresh, repeated) = collector.Accept(document.Value);
        foreach (var minion in repeated)
        {
            _logger.LogWarning("Ignored a second document for minion {Minion}; its first return stands", minion);
        }

        foreach (var (minion, result, summary) in fresh)
        {
            // A minion that did not return gets its {"failed": true} when the run ends.
            if (result is not null)
            {
                yield return DeployEvent.Of(DeployEventNames.HighstateUpdate, new HighstateUpdateEvent(MinionSummaryText.Line(summary), minion, result));
            }
        }
    }

    private static DeployEvent NothingToDo(SaltEnvName saltEnv, AffectedMinions affected, ExpectedMinions expected)
    {
        var message = affected.Answered.Count == 0
            ? $"No minion answered state.show_top; no minions were highstated for {saltEnv}"
            : $"No minion's top data lists {saltEnv}; no minions were highstated";
        if (affected.Errors.Count > 0)
        {
            message += $" ({affected.Errors.Count} minion(s) returned errors instead of top data: {string.Join(", ", affected.Errors.Keys)})";
        }

        if (expected.Unanswered.Count > 0)
        {
            message += $"; accepted minions that did not answer (they may use {saltEnv}): {string.Join(", ", expected.Unanswered)}";
        }

        return DeployEvent.Of(DeployEventNames.HighstateFinish, new HighstateFinishEvent(
            message, new Dictionary<string, MinionReport>(), [], affected.Errors, Passed: true, Unanswered: expected.Unanswered));
    }
}
