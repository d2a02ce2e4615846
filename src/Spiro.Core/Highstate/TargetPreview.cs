using System.Text.Json.Nodes;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Highstate;

/// <summary>
/// <c>salt --preview-target</c>: the master's own target matching (its minion data cache for grains
/// and pillar), which names minions whether they are up or not. Pure parts only.
/// </summary>
public static class TargetPreview
{
    // Salt's top-file matchers and the salt CLI flag that selects the same matcher.
    private static readonly Dictionary<string, string?> Flags = new(StringComparer.Ordinal)
    {
        ["glob"] = null, ["pcre"] = "-E", ["list"] = "-L", ["grain"] = "-G", ["grain_pcre"] = "-P", ["pillar"] = "-I",
        ["pillar_pcre"] = "-J", ["nodegroup"] = "-N", ["ipcidr"] = "-S", ["compound"] = "-C", ["range"] = "-R",
    };

    /// <summary>The salt arguments that list the minions <paramref name="target"/> selects; null for a matcher the CLI cannot preview.</summary>
    public static IReadOnlyList<string>? Arguments(MinionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Flags.TryGetValue(target.Match, out var flag))
        {
            return null;
        }

        var arguments = new List<string> { "--preview-target", "--out=json", "--out-indent=-1" };
        if (flag is not null)
        {
            arguments.Add(flag);
        }

        // "--" keeps a target that starts with '-' a target.
        arguments.Add("--");
        arguments.Add(target.Expression);
        return arguments;
    }

    /// <summary>Every accepted minion (glob <c>*</c> over the master's accepted keys).</summary>
    public static IReadOnlyList<string> AcceptedMinions() => Arguments(new MinionTarget("*", "glob"))!;

    /// <summary>Minion ids from the preview's stdout (a JSON list); empty for anything else. Pure.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> stdoutLines)
    {
        var text = string.Join("\n", stdoutLines).Trim();
        try
        {
            return JsonNode.Parse(text) is JsonArray list
                ? [.. list.OfType<JsonValue>().Select(value => value.TryGetValue<string>(out var id) ? id : null).OfType<string>()]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
