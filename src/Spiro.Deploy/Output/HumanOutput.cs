using System.Text.Json.Nodes;
using Spectre.Console;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Results;
using Spiro.Protocol.Events;
using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Output;

/// <summary>Output for people: event messages and minion summaries on stdout, progress and problems on stderr.</summary>
internal sealed class HumanOutput(ConsoleEnvironment console, bool colour, bool verbose) : IDeployOutput
{
    /// <summary>How often a plain (non-terminal) progress line is written.</summary>
    public static readonly TimeSpan PlainProgressInterval = TimeSpan.FromSeconds(5);

    private readonly MarkupWriter stdout = new(console.Out, colour && console.OutIsTerminal);
    private readonly MarkupWriter stderr = new(console.Error, colour && console.ErrorIsTerminal);

    public void Info(string message) => stderr.Line(Markup.Escape(message));

    public void Warning(string message) => stderr.Line($"[yellow]warning:[/] {Markup.Escape(message)}");

    public void Error(string message) => stderr.Line($"[red]error:[/] {Markup.Escape(message)}");

    public async Task<T> TrackUploadAsync<T>(Func<Action<long>, Task<T>> upload)
    {
        var started = console.Time.GetTimestamp();
        long sent = 0;
        T result;
        if (console.ErrorIsTerminal && stderr.Console is { } live)
        {
            result = await live.Progress()
                .AutoClear(true)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    // The total is unknown while the tar is being written, so the bar shows bytes and rate, not a percentage.
                    var task = context.AddTask("uploading").IsIndeterminate();
                    return await upload(bytes =>
                    {
                        sent = bytes;
                        task.Description = $"uploading {Units.Bytes(bytes)} ({Units.Rate(bytes, console.Time.GetElapsedTime(started))})";
                    });
                });
        }
        else
        {
            var nextLine = started;
            var interval = (long)(PlainProgressInterval.TotalSeconds * console.Time.TimestampFrequency);
            result = await upload(bytes =>
            {
                sent = bytes;
                var now = console.Time.GetTimestamp();
                if (now >= nextLine + interval)
                {
                    nextLine = now;
                    Info($"uploading: {Units.Bytes(bytes)} sent ({Units.Rate(bytes, console.Time.GetElapsedTime(started))})");
                }
            });
        }

        var elapsed = console.Time.GetElapsedTime(started);
        Info($"uploaded {Units.Bytes(sent)} in {Units.Milliseconds(elapsed.TotalMilliseconds)} ({Units.Rate(sent, elapsed)})");
        return result;
    }

    public void Event(ReceivedEvent received, MinionSummary? summary, bool duplicate)
    {
        if (summary is not null)
        {
            if (duplicate)
            {
                if (verbose)
                {
                    stdout.Line($"[grey]{Markup.Escape(summary.Minion)}: ignored a second return ({Markup.Escape(string.Join(" ", summary.Errors))})[/]");
                }

                return;
            }

            foreach (var line in MinionFormatter.Lines(summary, verbose))
            {
                stdout.Line(line);
            }

            return;
        }

        var message = received.Message ?? $"{received.Name} {received.RawData}";
        switch (received.Name)
        {
            case DeployEventNames.Exception:
                stdout.Line($"[red]server error:[/] {Markup.Escape(message)}");
                break;
            case Protocol.Plans.PlanEventNames.Plan when DeployEventJson.Read<Protocol.Plans.PlanView>(received.Data) is { } plan:
                foreach (var line in PlanFormatter.Lines(plan, verbose))
                {
                    stdout.Line(line);
                }

                break;
            case DeployEventNames.HighstateStart when received.Data is JsonObject data && data["minions"] is JsonArray minions:
                // The original server's message did not name the minions; ours does.
                var names = minions.Select(m => m?.ToString() ?? string.Empty).ToList();
                stdout.Line(names.All(n => message.Contains(n, StringComparison.Ordinal))
                    ? Markup.Escape(message)
                    : $"{Markup.Escape(message)} [grey]({names.Count} minions: {Markup.Escape(string.Join(", ", names))})[/]");
                break;
            default:
                stdout.Line(Markup.Escape(message));
                break;
        }
    }

    public void Finish(DeployTally tally, int exitCode)
    {
        if (tally.Unreported.Count > 0)
        {
            stdout.Line(tally.Verdict.Tolerated.Count > 0
                ? $"[yellow]Minions that did not report (tolerated):[/] {Markup.Escape(string.Join(", ", tally.Unreported))}"
                : $"[red]Minions that did not report:[/] {Markup.Escape(string.Join(", ", tally.Unreported))}");
        }

        if (tally.FailedMinions.Count > 0)
        {
            stdout.Line($"[red]Minions that failed:[/] {Markup.Escape(string.Join(", ", tally.FailedMinions))}");
        }

        if (tally.PlanId is { } planId)
        {
            stdout.Line(exitCode == ExitCodes.Ok
                ? $"[green]Plan {Markup.Escape(planId)}[/]: nothing would fail; apply it with [bold]spiro-deploy --apply {Markup.Escape(planId)}[/]"
                : $"[red]Plan {Markup.Escape(planId)}[/]: something would fail (exit code {exitCode})");
        }
        else if (exitCode == ExitCodes.Ok)
        {
            stdout.Line(tally.HighstateStarted
                ? $"[green]Deploy succeeded[/] ({tally.Reported.Count} minion{(tally.Reported.Count == 1 ? string.Empty : "s")})"
                : "[green]Deploy succeeded[/]");
        }
        else
        {
            stdout.Line($"[red]Deploy failed[/] (exit code {exitCode})");
        }
    }
}
