using Spectre.Console;
using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Output;

/// <summary>Markup lines for one minion: a one-line summary, then the failing states (or every state when verbose).</summary>
internal static class MinionFormatter
{
    public static IEnumerable<string> Lines(MinionSummary summary, bool verbose)
    {
        var minion = Markup.Escape(summary.Minion);
        if (summary.Outcome is not (MinionOutcome.Succeeded or MinionOutcome.Failed))
        {
            var what = summary.Outcome switch
            {
                MinionOutcome.RenderError => "render error",
                MinionOutcome.NoReturn => "did not return",
                _ => "no states ran",
            };
            yield return $"[bold]{minion}[/]: [red]FAILED[/] ({what})";
            foreach (var message in summary.Errors)
            {
                foreach (var line in message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    yield return $"    [red]{Markup.Escape(line)}[/]";
                }
            }

            yield break;
        }

        var verdict = summary.IsFailure ? "[red]FAILED[/]" : summary.WouldChange > 0 ? "[yellow]WOULD CHANGE[/]" : "[green]OK[/]";
        var counts = $"{summary.Ok + summary.Changed} succeeded ({summary.Changed} changed), {summary.Failed} failed";
        if (summary.WouldChange > 0)
        {
            counts += $", {summary.WouldChange} would change";
        }

        yield return $"[bold]{minion}[/]: {verdict} {counts}, {Units.Milliseconds(summary.DurationMs)}";
        foreach (var state in summary.States)
        {
            if (verbose || state.Result == false)
            {
                yield return StateLine(state);
            }
        }
    }

    private static string StateLine(StateResult state)
    {
        var label = state.Result switch
        {
            false => "[red]failed [/]",
            null => "[yellow]would  [/]",
            true when state.Changed => "[cyan]changed[/]",
            true => "[green]ok     [/]",
        };
        var comment = state.Comment.Replace("\n", " | ", StringComparison.Ordinal);
        return $"  {label} {Markup.Escape(state.Id)} ({Markup.Escape(state.Function)} {Markup.Escape(state.Name)}): {Markup.Escape(comment)}";
    }
}
