using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Spiro.Core.Highstate;

namespace Spiro.Deploy.Tests.Support;

/// <summary>
/// The fake at the Salt boundary: <c>state.show_top</c> names <paramref name="minions"/> as using the
/// saltenv, and <c>state.highstate</c> replays a recorded real output (tests/salt-samples), keeping
/// only those minions' documents, with the given exit code.
/// </summary>
internal sealed class SampleSalt(string[] minions, string highstateSample, int exitCode, string saltEnv = "foo/prod") : ISaltClient
{
    /// <summary>Whether salt is "not installed": every run reports <see cref="SaltOutput.Unavailable"/>.</summary>
    public bool Unavailable { get; init; }

    /// <summary>Pause before the highstate output (a slow minion).</summary>
    public TimeSpan HighstateDelay { get; init; }

    /// <summary>Accepted minions every target selects that do not answer (down): only <c>--preview-target</c> names them.</summary>
    public string[] Down { get; init; } = [];

    public async IAsyncEnumerable<SaltOutput> RunAsync(IReadOnlyList<string> arguments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (Unavailable)
        {
            yield return new SaltOutput.Unavailable("salt: command not found");
            yield break;
        }

        if (arguments.Contains("--preview-target"))
        {
            yield return new SaltOutput.Line(new JsonArray([.. minions.Concat(Down).Select(minion => JsonValue.Create(minion))]).ToJsonString());
            yield return new SaltOutput.Exited(0, string.Empty, false);
            yield break;
        }

        if (arguments.Contains("state.show_top"))
        {
            // With saltenv= (a plan's candidate) Salt answers that saltenv's top data only, keyed by its name.
            var named = arguments.FirstOrDefault(a => a.StartsWith("saltenv=", StringComparison.Ordinal))?["saltenv=".Length..];
            foreach (var minion in minions)
            {
                var top = named is null ? new JsonObject { ["base"] = new JsonArray("hello"), [saltEnv] = new JsonArray("somestate") } : new JsonObject { [named] = new JsonArray("somestate") };
                yield return new SaltOutput.Line(new JsonObject { [minion] = top }.ToJsonString());
            }

            yield return new SaltOutput.Exited(0, string.Empty, false);
            yield break;
        }

        await Task.Delay(HighstateDelay, cancellationToken);
        foreach (var line in File.ReadAllLines(Samples.Path(highstateSample + ".stdout")))
        {
            if (line.Trim().Length > 0 && JsonNode.Parse(line) is JsonObject document && document.Any(p => minions.Contains(p.Key)))
            {
                yield return new SaltOutput.Line(line);
            }
        }

        yield return new SaltOutput.Exited(exitCode, exitCode == 0 ? string.Empty : "ERROR: Minions returned with non-zero exit code", false);
    }
}
