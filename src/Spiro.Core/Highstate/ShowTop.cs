using System.Text.Json.Nodes;
using Spiro.Core.Names;

namespace Spiro.Core.Highstate;

/// <summary>Reads <c>salt '*' state.show_top --out=json</c> output (streaming or <c>--static</c>).</summary>
public static class ShowTop
{
    /// <summary>
    /// The salt arguments that ask every minion for its top data, one JSON document per minion per line.
    /// No <c>-t</c>: the highstate timeout is sized for highstates, and salt would wait that long for
    /// every minion that is down before the highstate could start. Salt's short default fits show_top.
    /// </summary>
    public static IReadOnlyList<string> Arguments() => ["*", "state.show_top", "--out=json", "--out-indent=-1"];

    /// <summary>The same, with <c>saltenv=</c>: the top data of one saltenv only (a plan saltenv, which no plain run sees).</summary>
    public static IReadOnlyList<string> Arguments(string saltEnv) => ["*", "state.show_top", "saltenv=" + saltEnv, "--out=json", "--out-indent=-1"];

    /// <summary>Affected minions from salt's stdout lines. Pure.</summary>
    public static AffectedMinions Parse(IEnumerable<string> stdoutLines, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        return Parse(stdoutLines, saltEnv.ToString());
    }

    /// <summary>Affected minions from salt's stdout lines: those whose top data has a section <paramref name="key"/>. Pure.</summary>
    public static AffectedMinions Parse(IEnumerable<string> stdoutLines, string key)
    {
        ArgumentNullException.ThrowIfNull(stdoutLines);
        var splitter = new SaltJsonSplitter();
        var documents = new List<JsonObject>();
        var skipped = new List<string>();
        foreach (var line in stdoutLines)
        {
            Collect(splitter.Push(line), documents, skipped);
        }

        Collect(splitter.Finish(), documents, skipped);
        return FromDocuments(documents, key) with { SkippedLines = skipped };
    }

    /// <summary>Affected minions from parsed documents (<c>{minion: top data}</c>). A minion's first answer wins.</summary>
    public static AffectedMinions FromDocuments(IEnumerable<JsonObject> documents, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        return FromDocuments(documents, saltEnv.ToString());
    }

    /// <summary>Affected minions from parsed documents: those whose top data has a section <paramref name="key"/>.</summary>
    public static AffectedMinions FromDocuments(IEnumerable<JsonObject> documents, string key)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var answered = new SortedSet<string>(StringComparer.Ordinal);
        var affected = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (minion, top) in documents.SelectMany(document => document))
        {
            if (!seen.Add(minion))
            {
                continue;
            }

            if (DidNotAnswer(top))
            {
                // Streaming output names a silent minion after the timeout: it did not answer.
                continue;
            }

            answered.Add(minion);

            if (top is JsonObject saltEnvs)
            {
                if (saltEnvs.ContainsKey(key))
                {
                    affected.Add(minion);
                }
            }
            else
            {
                errors[minion] = ReturnText.Of(top);
            }
        }

        return new AffectedMinions([.. affected], errors, [.. answered], []);
    }

    /// <summary>Whether a minion's value is salt's "Minion did not return" text rather than an answer.</summary>
    internal static bool DidNotAnswer(JsonNode? top) =>
        top is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String
        && text.GetValue<string>().StartsWith("Minion did not return", StringComparison.Ordinal);

    private static void Collect(SaltJsonLine? line, List<JsonObject> documents, List<string> skipped)
    {
        switch (line)
        {
            case SaltJsonLine.Document document:
                documents.Add(document.Value);
                break;
            case SaltJsonLine.Skipped text:
                skipped.Add(text.Text);
                break;
        }
    }
}
