using Spectre.Console;
using Spiro.Protocol.Plans;

namespace Spiro.Deploy.Output;

/// <summary>A plan's <c>plan</c> event as lines for people: the id, then one line per differing file.</summary>
internal static class PlanFormatter
{
    public static IEnumerable<string> Lines(PlanView plan, bool verbose)
    {
        yield return $"[bold]Plan {Markup.Escape(plan.PlanId)}[/] for {Markup.Escape(plan.SaltEnv)} (against {Markup.Escape(plan.Live ?? "no live release")}; expires {Markup.Escape(plan.Expires)})";
        if (plan.Diff is not { } diff)
        {
            yield break;
        }

        yield return $"  {diff.Added} added, {diff.Removed} removed, {diff.Changed} changed";
        foreach (var file in diff.Files)
        {
            var (mark, colour) = file.Change switch
            {
                "added" => ("+", "green"),
                "removed" => ("-", "red"),
                _ => ("~", "yellow"),
            };
            yield return $"  [{colour}]{mark} {Markup.Escape(file.Path)}[/] [grey]{Markup.Escape(Sides(file))}[/]";
            if (verbose && file.Unified is { } unified)
            {
                foreach (var line in unified.TrimEnd('\n').Split('\n'))
                {
                    yield return "      " + Markup.Escape(line);
                }
            }
        }

        if (diff.TopBefore != diff.TopAfter)
        {
            yield return "  the top file changes" + (diff.Files.Any(f => f.Unified is not null) && !verbose ? " (--verbose shows the diffs)" : string.Empty);
        }
    }

    private static string Sides(DiffFile file) => (file.Before, file.After) switch
    {
        (null, { } after) => $"({Units.Bytes(after.Size)}, {after.Mode})",
        ({ } before, null) => $"({Units.Bytes(before.Size)})",
        ({ } before, { } after) => $"({Units.Bytes(before.Size)} -> {Units.Bytes(after.Size)}{(before.Mode == after.Mode ? string.Empty : $", mode {before.Mode} -> {after.Mode}")}{(file.Omitted is { } why ? "; " + why : string.Empty)})",
        _ => string.Empty,
    };
}
