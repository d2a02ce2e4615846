using Microsoft.Extensions.Logging;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>The end of a highstate: stores the results with the release and writes <c>highstate-finish</c>.</summary>
internal sealed class HighstateFinisher(HighstateResultStore? results, TimeProvider time, ILogger logger)
{
    private static readonly (MinionOutcome Outcome, string Text)[] Parts =
    [
        (MinionOutcome.Succeeded, "succeeded"), (MinionOutcome.Failed, "failed"), (MinionOutcome.RenderError, "did not render"),
        (MinionOutcome.Error, "raised an error"), (MinionOutcome.NoReturn, "did not return"),
    ];

    public DeployEvent Finish(
        HighstateRequest request, AffectedMinions affected, ExpectedMinions expected, HighstateCollector collector, IReadOnlyList<MinionSummary> summaries, SaltOutput.Exited? exit)
    {
        var stored = Record(request, summaries);
        var verdict = HighstateVerdict.Of(summaries, [], request.TolerateMissing);
        var counts = summaries.GroupBy(summary => summary.Outcome).ToDictionary(group => group.Key, group => group.Count());
        var parts = Parts.Where(part => counts.ContainsKey(part.Outcome)).Select(part => $"{counts[part.Outcome]} {part.Text}");
        var message = $"Highstate of {request.SaltEnv}{(request.Test ? " (test=True)" : "")} finished: {string.Join(", ", parts)}";
        if (verdict.Tolerated.Count > 0)
        {
            message += $"; tolerated as asked: {string.Join(", ", verdict.Tolerated)} did not return";
        }

        if (expected.Unanswered.Count > 0)
        {
            message += $"; accepted minions that did not answer (they may use {request.SaltEnv}): {string.Join(", ", expected.Unanswered)}";
        }

        if (exit is { TimedOut: true })
        {
            message += "; salt did not finish in time and was stopped";
        }

        // Nothing returned at all: salt's own words (e.g. "No minions matched the target") explain why.
        var said = collector.Messages.Concat((exit?.StandardError ?? "").Split('\n')).FirstOrDefault(text => text.Trim().Length > 0);
        if (!collector.AnyReturned && said is not null)
        {
            message += $"; salt said: {said.Trim()}";
        }

        logger.LogInformation("{Message}", message);
        return DeployEvent.Of(DeployEventNames.HighstateFinish, new HighstateFinishEvent(
            message,
            summaries.ToDictionary(summary => summary.Minion, MinionReport.From, StringComparer.Ordinal),
            [.. verdict.Missing, .. verdict.Tolerated],
            affected.Errors,
            Test: request.Test,
            TolerateMissing: request.TolerateMissing,
            Passed: verdict.Passed,
            Stored: stored,
            SaltMessages: collector.Messages,
            SaltExitCode: exit?.ExitCode,
            SaltStderr: exit?.StandardError.Trim(),
            Unanswered: expected.Unanswered));
    }

    private bool Record(HighstateRequest request, IReadOnlyList<MinionSummary> summaries)
    {
        if (results is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        try
        {
            var sorted = summaries.OrderBy(summary => summary.Minion, StringComparer.Ordinal).ToList();
            results.Record(new HighstateRun(Guid.CreateVersion7(now).ToString("N"), request.ReleaseId, request.SaltEnv, request.Test, now, sorted));
            return true;
        }
        catch (System.Data.Common.DbException exception)
        {
            // The highstate happened; losing its record must not hide its results from CI.
            logger.LogError(exception, "Could not store highstate results of {SaltEnv} release {Release}", request.SaltEnv, request.ReleaseId);
            return false;
        }
    }
}
