using System.Runtime.CompilerServices;
using Spiro.Core.Highstate;

namespace Spiro.Core.Tests.Highstate;

/// <summary>An in-memory salt: replays a scripted output per salt function and records every command line.</summary>
internal sealed class ScriptedSaltClient : ISaltClient
{
    private readonly Dictionary<string, IReadOnlyList<SaltOutput>> _scripts = new(StringComparer.Ordinal);

    public List<IReadOnlyList<string>> Calls { get; } = [];

    public ScriptedSaltClient Script(string function, IEnumerable<string> lines, int exitCode = 0, string stderr = "")
    {
        _scripts[function] = [.. lines.Select(line => (SaltOutput)new SaltOutput.Line(line)), new SaltOutput.Exited(exitCode, stderr, TimedOut: false)];
        return this;
    }

    public ScriptedSaltClient Sample(string function, string stem) => Script(
        function,
        SaltSamples.StdoutLines(stem),
        int.Parse(File.ReadAllText(Path.Combine(SaltSamples.Directory, stem + ".rc")).Trim(), System.Globalization.CultureInfo.InvariantCulture),
        File.ReadAllText(Path.Combine(SaltSamples.Directory, stem + ".stderr")));

    public ScriptedSaltClient Unavailable(string function, string message)
    {
        _scripts[function] = [new SaltOutput.Unavailable(message)];
        return this;
    }

    /// <summary><c>salt --preview-target ... EXPRESSION</c> answers <paramref name="minions"/> as a JSON list.</summary>
    public ScriptedSaltClient Preview(string expression, params string[] minions) =>
        Script("preview:" + expression, [System.Text.Json.JsonSerializer.Serialize(minions)]);

    public async IAsyncEnumerable<SaltOutput> RunAsync(IReadOnlyList<string> arguments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Calls.Add(arguments);
        var function = arguments.Contains("--preview-target")
            ? "preview:" + arguments[^1]
            : arguments.First(argument => argument.StartsWith("state.", StringComparison.Ordinal));
        foreach (var output in _scripts[function])
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return output;
        }
    }
}
