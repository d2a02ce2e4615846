using Spiro.Core.TopFiles;

namespace Spiro.Core.Highstate;

/// <summary>
/// Who should highstate but did not answer <c>state.show_top</c>: for plain top data the minions each
/// target selects by the master's own matching (<c>salt --preview-target</c>), for Jinja top data
/// (unknowable ahead) every accepted minion that did not answer, named but not counted as missing.
/// </summary>
/// <param name="Missing">Expected minions (selected by a target) that did not answer: they fail the deploy unless tolerated.</param>
/// <param name="Unanswered">Accepted minions that did not answer when the targets are unknown: they may use the saltenv.</param>
/// <param name="Notes">Why a target could not be previewed, for the log and the finish message.</param>
public sealed record ExpectedMinions(IReadOnlyList<string> Missing, IReadOnlyList<string> Unanswered, IReadOnlyList<string> Notes)
{
    /// <summary>Nobody expected beyond who answered.</summary>
    public static ExpectedMinions Nobody { get; } = new([], [], []);

    /// <summary>Runs the previews <paramref name="targets"/> needs and compares with <paramref name="answered"/>.</summary>
    public static async Task<ExpectedMinions> FindAsync(ISaltClient salt, TopTargets? targets, IReadOnlyList<string> answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(answered);
        var heard = new HashSet<string>(answered, StringComparer.Ordinal);
        switch (targets)
        {
            case TopTargets.Known known:
                var selected = new SortedSet<string>(StringComparer.Ordinal);
                var notes = new List<string>();
                foreach (var target in known.Targets)
                {
                    if (TargetPreview.Arguments(target) is not { } arguments)
                    {
                        notes.Add($"target '{target.Expression}' (match: {target.Match}) cannot be previewed on the master; minions it selects that are down are not named");
                        continue;
                    }

                    selected.UnionWith(await PreviewAsync(salt, arguments, cancellationToken).ConfigureAwait(false));
                }

                return new ExpectedMinions([.. selected.Where(minion => !heard.Contains(minion))], [], notes);
            case TopTargets.Unknown:
                var accepted = await PreviewAsync(salt, TargetPreview.AcceptedMinions(), cancellationToken).ConfigureAwait(false);
                return new ExpectedMinions([], [.. accepted.Where(minion => !heard.Contains(minion)).Order(StringComparer.Ordinal)], []);
            default:
                return Nobody;
        }
    }

    private static async Task<IReadOnlyList<string>> PreviewAsync(ISaltClient salt, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await foreach (var output in salt.RunAsync(arguments, cancellationToken).ConfigureAwait(false))
        {
            if (output is SaltOutput.Line line)
            {
                lines.Add(line.Text);
            }
        }

        return TargetPreview.Parse(lines);
    }
}
