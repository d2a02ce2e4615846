using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiro.Core.Names;
using Spiro.Protocol.Events;

namespace Spiro.Core.Highstate;

/// <summary>
/// Highstates the minions whose top data lists a saltenv (DESIGN.md section 8): <c>state.show_top</c>
/// on every minion, then a streaming <c>state.highstate</c> on exactly those, one
/// <c>highstate-update</c> per minion as it returns, results stored with the release.
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
        yield return DeployEvent.Message(DeployEventNames.HighstateCalc, $"Finding the minions whose top data lists {saltEnv}");
        var found = await FindAffectedMinionsAsync(saltEnv, cancellationToken);
        if (found is ShowTopResult.Failed failed)
        {
            yield return DeployEvent.Message(DeployEventNames.Exception, failed.Message);
            yield break;
        }

        var affected = ((ShowTopResult.Answered)found).Minions;
        if (affected.Minions.Count == 0)
        {
            yield return NothingToDo(saltEnv, affected);
            yield break;
        }

        var start = DeployEvent.Message(DeployEventNames.HighstateStart, $"Highstating {affected.Minions.Count} minion(s) with saltenv={saltEnv}{(request.Test ? " test=True" : "")}: {string.Join(", ", affected.Minions)}");
        start.Data["minions"] = new JsonArray([.. affected.Minions.Select(minion => JsonValue.Create(minion))]);
        start.Data["errors"] = Errors(affected.Errors);
        yield return start;

        var collector = new HighstateCollector(affected.Minions, batchMode: !string.IsNullOrEmpty(options.BatchSize));
        var splitter = new SaltJsonSplitter();
        SaltOutput? end = null;
        var arguments = HighstateCommand.Arguments(affected.Minions, saltEnv, request.Test, options);
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
                end = output;
            }
        }

        foreach (var update in Updates(splitter.Finish(), collector))
        {
            yield return update;
        }

        if (end is SaltOutput.Unavailable unavailable)
        {
            yield return DeployEvent.Message(DeployEventNames.Exception, unavailable.Message);
            yield break;
        }

        yield return Finish(request, affected, collector, end as SaltOutput.Exited);
    }

    /// <summary>Runs <c>state.show_top</c> on every minion and keeps those whose top data lists <paramref name="saltEnv"/>.</summary>
    public async Task<ShowTopResult> FindAffectedMinionsAsync(SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        SaltOutput? end = null;
        await foreach (var output in salt.RunAsync(ShowTop.Arguments(), cancellationToken))
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

    private IEnumerable<DeployEvent> Updates(SaltJsonLine? line, HighstateCollector collector)
    {
        if (line is SaltJsonLine.Skipped skipped)
        {
            _logger.LogWarning("Ignored non-JSON output of state.highstate: {Line}", skipped.Text);
            collector.NoteSkipped(skipped.Text);
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

        foreach (var (minion, value, summary) in fresh)
        {
            var update = DeployEvent.Message(DeployEventNames.HighstateUpdate, HighstateJson.Line(summary));
            update.Data["minion"] = minion;
            update.Data["result"] = value;
            yield return update;
        }
    }

    private DeployEvent Finish(HighstateRequest request, AffectedMinions affected, HighstateCollector collector, SaltOutput.Exited? exit)
    {
        var (summaries, missing) = collector.Finish();
        var stored = Record(request, summaries);
        var counts = summaries.GroupBy(summary => summary.Outcome).ToDictionary(group => group.Key, group => group.Count());
        var parts = new[]
        {
            (MinionOutcome.Succeeded, "succeeded"), (MinionOutcome.Failed, "failed"), (MinionOutcome.RenderError, "did not render"),
            (MinionOutcome.Error, "raised an error"), (MinionOutcome.NoReturn, "did not return"),
        }.Where(part => counts.ContainsKey(part.Item1)).Select(part => $"{counts[part.Item1]} {part.Item2}");
        var message = $"Highstate of {request.SaltEnv}{(request.Test ? " (test=True)" : "")} finished: {string.Join(", ", parts)}";
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

        _logger.LogInformation("{Message}", message);

        var finish = DeployEvent.Message(DeployEventNames.HighstateFinish, message);
        finish.Data["minions"] = HighstateJson.Minions(summaries);
        finish.Data["missing"] = new JsonArray([.. missing.Select(minion => JsonValue.Create(minion))]);
        finish.Data["errors"] = Errors(affected.Errors);
        finish.Data["test"] = request.Test;
        finish.Data["stored"] = stored;
        finish.Data["salt_messages"] = new JsonArray([.. collector.Messages.Select(text => JsonValue.Create(text))]);
        if (exit is not null)
        {
            finish.Data["salt_exit_code"] = exit.ExitCode;
            finish.Data["salt_stderr"] = exit.StandardError.Trim();
        }

        return finish;
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
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            // The highstate happened; losing its record must not hide its results from CI.
            _logger.LogError(exception, "Could not store highstate results of {SaltEnv} release {Release}", request.SaltEnv, request.ReleaseId);
            return false;
        }
    }

    private static DeployEvent NothingToDo(SaltEnvName saltEnv, AffectedMinions affected)
    {
        var message = affected.Answered.Count == 0
            ? $"No minion answered state.show_top; no minions were highstated for {saltEnv}"
            : $"No minion's top data lists {saltEnv}; no minions were highstated";
        if (affected.Errors.Count > 0)
        {
            message += $" ({affected.Errors.Count} minion(s) returned errors instead of top data: {string.Join(", ", affected.Errors.Keys)})";
        }

        var finish = DeployEvent.Message(DeployEventNames.HighstateFinish, message);
        finish.Data["minions"] = new JsonObject();
        finish.Data["missing"] = new JsonArray();
        finish.Data["errors"] = Errors(affected.Errors);
        return finish;
    }

    private static JsonObject Errors(IReadOnlyDictionary<string, string> errors)
    {
        var json = new JsonObject();
        foreach (var (minion, error) in errors)
        {
            json[minion] = error;
        }

        return json;
    }
}
