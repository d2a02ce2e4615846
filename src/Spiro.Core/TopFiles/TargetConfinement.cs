using System.Text.RegularExpressions;

namespace Spiro.Core.TopFiles;

/// <summary>
/// A project's allowed targets (<c>spiro project set P --allow-targets EXPR</c>, docs/security.md):
/// every target of every top file the project gets is rewritten so it selects only minions inside
/// the expression. Salt matches top-file targets with <c>confirm_top</c>, whose default matcher is
/// compound, so a target becomes the compound match <c>( target ) and ( allowed )</c>, its own
/// matcher turned into the compound engine letter (<c>G@</c>, <c>L@</c>, ...). Pure.
/// </summary>
public static partial class TargetConfinement
{
    /// <summary>The first line of every top file compiled for a confined project; the Salt adapter reads it.</summary>
    public const string HeaderPrefix = "# spiro-allow-targets: ";

    /// <summary>Longest allowed-targets expression.</summary>
    public const int MaxExpressionChars = 1000;

    /// <summary>Rule id of a target that cannot be expressed inside the project's allowed targets.</summary>
    public const string UnconfinableRule = "top-unconfinable";

    /// <summary>Rule id of a bundle's own top file in a confined project.</summary>
    public const string KeptRule = "top-kept-confined";

    /// <summary>Rule id of a rollback or plan apply to a release compiled without the current confinement.</summary>
    public const string StaleRule = "top-not-confined";

    private const string Compound = "compound";

    // The compound engine letter of each top-file matcher that has one (salt/matchers/compound_match.py).
    private static readonly Dictionary<string, string> EngineOf = new(StringComparer.Ordinal)
    {
        ["grain"] = "G@",
        ["grain_pcre"] = "P@",
        ["pillar"] = "I@",
        ["pillar_pcre"] = "J@",
        ["list"] = "L@",
        ["ipcidr"] = "S@",
        ["pcre"] = "E@",
        ["nodegroup"] = "N@",
    };

    private static readonly string[] Operators = ["and", "or", "not", "(", ")"];

    /// <summary>The header line for <paramref name="allowed"/>.</summary>
    public static string Header(string allowed) => HeaderPrefix + allowed;

    /// <summary>Whether top-file text was compiled for <paramref name="allowed"/> (its first line is the header).</summary>
    public static bool IsConfinedBy(string topText, string allowed)
    {
        ArgumentNullException.ThrowIfNull(topText);
        var end = topText.IndexOf('\n', StringComparison.Ordinal);
        return string.Equals(end < 0 ? topText : topText[..end], Header(allowed), StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether Salt may read a release's top file under <paramref name="allowed"/>: it has none, or
    /// its first line is the header (the Salt adapter's rule, salt/fileserver/spiro.py).
    /// </summary>
    public static bool ReleaseIsConfinedBy(string releaseTree, string stateTop, string allowed)
    {
        ArgumentNullException.ThrowIfNull(stateTop);
        var path = Path.Combine(releaseTree, stateTop.StartsWith("salt://", StringComparison.Ordinal) ? stateTop["salt://".Length..] : stateTop);
        if (!File.Exists(path))
        {
            return true;
        }

        using var reader = new StreamReader(path);
        var first = new char[HeaderPrefix.Length + MaxExpressionChars + 1];
        var read = reader.ReadBlock(first);
        return IsConfinedBy(new string(first, 0, read), allowed);
    }

    /// <summary>Why <paramref name="expression"/> cannot be a project's allowed targets, or null when it can.</summary>
    public static string? Validate(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return "the allowed targets must be a compound expression such as 'm1' or 'G@role:web and web*'";
        }

        if (expression.Length > MaxExpressionChars)
        {
            return $"the allowed targets are {expression.Length} characters, more than {MaxExpressionChars}";
        }

        // One line of plain text: it is written as the top file's first line and as a Jinja string.
        if (expression.Any(c => char.IsControl(c) || c is '{' or '}'))
        {
            return "the allowed targets must be one line without control characters, '{' or '}'";
        }

        var words = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] is "and" or "or")
        {
            return $"the allowed targets cannot start with '{words[0]}'";
        }

        return Balanced(words) ? null : "the parentheses of the allowed targets do not balance (write them as separate words: '( a or b ) and c')";
    }

    /// <summary>
    /// <paramref name="target"/> rewritten to select only minions inside <paramref name="allowed"/>:
    /// its key becomes <c>( target ) and ( allowed )</c>, every <c>match</c> option is replaced by
    /// <c>match: compound</c>. An error names the target when it has no compound form.
    /// </summary>
    internal static (TopTarget? Target, string? Error) Confine(TopTarget target, string allowed)
    {
        // confirm_top reads every item and the last 'match' wins; without one it is compound.
        var match = target.Items.OfType<TopItem.Option>().LastOrDefault(o => o.Key.Text == "match")?.Value.Text ?? Compound;
        var (word, why) = CompoundWord(target.Target.Text, match);
        if (word is null)
        {
            return (null, $"target '{target.Target.Text}' (match: {match}) cannot be confined to the project's allowed targets: {why} (rule {UnconfinableRule})");
        }

        var items = target.Items.Where(i => i is not TopItem.Option { Key.Text: "match" })
            .Append(new TopItem.Option(new TopScalar("match", Quoted: false), new TopScalar(Compound, Quoted: false)))
            .ToList();
        return (new TopTarget(new TopScalar($"( {word} ) and ( {allowed} )", Quoted: true), items), null);
    }

    /// <summary>The compound form of one target with its matcher, or why there is none.</summary>
    private static (string? Word, string? Why) CompoundWord(string text, string match)
    {
        if (match == Compound)
        {
            // Balanced, so the target cannot close the parenthesis it is put in ('* ) or ( *').
            return Balanced(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                ? (text, null)
                : (null, "its parentheses do not balance");
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return (null, "a compound expression splits it at its whitespace");
        }

        if (match == "glob")
        {
            // compound_match reads a word as a glob only when it is no operator and names no engine.
            return Array.IndexOf(Operators, text) >= 0 || EnginePrefix().IsMatch(text)
                ? (null, "compound matching would not read it as a glob")
                : (text, null);
        }

        return EngineOf.TryGetValue(match, out var engine)
            ? (engine + text, null)
            : (null, $"the matcher '{match}' has no compound form (use {string.Join(", ", EngineOf.Keys.Prepend("glob").Prepend(Compound))})");
    }

    private static bool Balanced(IEnumerable<string> words)
    {
        var depth = 0;
        foreach (var word in words)
        {
            depth += word switch { "(" => 1, ")" => -1, _ => 0 };
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    // salt.utils.minions.TARGET_REX: an engine letter, for G, P, I, J an optional delimiter, then '@'.
    [GeneratedRegex(@"^(?:[GPIJLNSER]@|[GPIJ].@)")]
    private static partial Regex EnginePrefix();
}
