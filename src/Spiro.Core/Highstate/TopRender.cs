using System.Text.Json.Nodes;
using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Highstate;

/// <summary>
/// Renders one saltenv's top file on every minion with
/// <c>salt '*' slsutil.renderer salt://top.sls saltenv=X</c>: the minion's own renderers, grains
/// and pillar, as a highstate renders it. (<c>state.show_top</c> cannot tell: it logs a render
/// error on the minion and answers <c>{}</c>.) A minion whose render raised, or gave anything but
/// a mapping, or a mapping with a section for another saltenv, fails. The render gate for
/// releases before they go live, and <c>spiro top check</c> for live ones.
/// </summary>
/// <param name="salt">The salt command.</param>
/// <param name="stateTop">Salt's <c>state_top</c> file name.</param>
public sealed partial class TopRender(ISaltClient salt, string stateTop = "top.sls") : ITopRenderGate
{
    /// <summary>How the minions rendered the top file of <paramref name="served"/>, which must speak only for <paramref name="saltEnv"/>.</summary>
    public async Task<TopRenderReport> RenderAsync(string served, SaltEnvName saltEnv, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(served);
        ArgumentNullException.ThrowIfNull(saltEnv);
        var splitter = new SaltJsonSplitter();
        var answers = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        SaltOutput? end = null;
        await foreach (var output in salt.RunAsync(["*", "slsutil.renderer", "salt://" + stateTop, "saltenv=" + served, "--out=json", "--out-indent=-1"], cancellationToken))
        {
            if (output is SaltOutput.Line line)
            {
                Collect(splitter.Push(line.Text), answers);
            }
            else
            {
                end = output;
            }
        }

        Collect(splitter.Finish(), answers);
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // A minion that is down renders nothing: it is not a render failure (it would block every deploy
        // while any minion is down), and it is left out of the answered count (docs/security.md).
        foreach (var silent in answers.Where(answer => ShowTop.DidNotAnswer(answer.Value)).Select(answer => answer.Key).ToList())
        {
            answers.Remove(silent);
        }

        foreach (var (minion, rendered) in answers)
        {
            if (Problem(rendered, saltEnv.ToString()) is { } problem)
            {
                errors[minion] = problem;
            }
        }

        var failure = end switch
        {
            SaltOutput.Unavailable unavailable => unavailable.Message,
            SaltOutput.Exited { TimedOut: true } => "salt slsutil.renderer did not finish in time",
            SaltOutput.Exited exited when exited.ExitCode != 0 && answers.Count == 0 => $"salt slsutil.renderer failed with exit code {exited.ExitCode}: {exited.StandardError.Trim()}",
            _ => null,
        };
        return new TopRenderReport([.. answers.Keys], errors, failure);
    }

    /// <inheritdoc/>
    public async Task<TopRenderVerdict> CheckAsync(SaltEnvName saltEnv, string releaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        var report = await RenderAsync(CheckSaltEnv.For(releaseId), saltEnv, cancellationToken).ConfigureAwait(false);
        if (report.Failure is not null)
        {
            return new TopRenderVerdict.Refused($"the top file uses Jinja and could not be rendered on the minions ({report.Failure}); the release did not go live");
        }

        if (report.Errors.Count > 0)
        {
            var (minion, error) = report.Errors.First();
            return new TopRenderVerdict.Refused(
                $"the top file of {saltEnv} fails to render on {report.Errors.Count} of {report.Answered.Count} minions ({string.Join(", ", report.Errors.Keys)}); "
                + $"{minion}: {OneLine(error)} (rule top-render); the release did not go live");
        }

        return new TopRenderVerdict.Passed($"the top file rendered on {report.Answered.Count} minions");
    }

    /// <summary>Why one minion's answer is not a good top for <paramref name="saltEnv"/>, or null. Pure.</summary>
    public static string? Problem(JsonNode? rendered, string saltEnv)
    {
        if (rendered is not JsonObject sections)
        {
            return ReturnText.Of(rendered);
        }

        var foreign = sections.Select(section => section.Key).FirstOrDefault(key => !string.Equals(key, saltEnv, StringComparison.Ordinal));
        return foreign is null ? null : $"the rendered top file has a section '{foreign}'; it may only hold its own saltenv '{saltEnv}'";
    }

    private static void Collect(SaltJsonLine? line, SortedDictionary<string, JsonNode?> answers)
    {
        if (line is SaltJsonLine.Document document)
        {
            foreach (var (minion, value) in document.Value)
            {
                // A minion's first answer wins (Salt can print a bogus second document).
                answers.TryAdd(minion, value?.DeepClone());
            }
        }
    }

    /// <summary>For messages: the line of a minion's traceback that names the error (<c>SaltRenderError: ...</c>), else its first line; capped.</summary>
    public static string OneLine(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.LastOrDefault(l => ErrorLine().IsMatch(l)) ?? lines.FirstOrDefault() ?? "";
        return line.Length > 1000 ? line[..1000] + "..." : line;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\w.]*(Error|Exception): ", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ErrorLine();
}
