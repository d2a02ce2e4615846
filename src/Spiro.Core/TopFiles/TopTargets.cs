using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Spiro.Core.Names;

namespace Spiro.Core.TopFiles;

/// <summary>
/// The targets a published top file gives one saltenv, so the master's own target matching can name
/// every minion expected to highstate, including those that are down (docs/highstate.md).
/// </summary>
public abstract record TopTargets
{
    private TopTargets()
    {
    }

    /// <summary>The release has no top file, or none for this saltenv: no minion is expected.</summary>
    public sealed record None : TopTargets;

    /// <summary>Plain top data: these targets (in file order) select the expected minions.</summary>
    public sealed record Known(IReadOnlyList<MinionTarget> Targets) : TopTargets;

    /// <summary>Jinja (rendered per minion) or unreadable: the expected minions cannot be known ahead.</summary>
    public sealed record Unknown(string Why) : TopTargets;

    /// <summary>Reads <paramref name="stateTop"/> in a release tree.</summary>
    public static TopTargets Read(string releaseTree, string stateTop, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(stateTop);
        var path = Path.Combine(releaseTree, stateTop.StartsWith("salt://", StringComparison.Ordinal) ? stateTop["salt://".Length..] : stateTop);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new None();
        }

        try
        {
            return file.Length > TopFileCompiler.MaxSpirotopBytes
                ? new Unknown($"{stateTop} is larger than {TopFileCompiler.MaxSpirotopBytes} bytes")
                : Parse(File.ReadAllText(path), saltEnv);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new Unknown($"{stateTop} could not be read: {exception.Message}");
        }
    }

    /// <summary>The targets under <paramref name="saltEnv"/>'s key of top-file text. Pure.</summary>
    public static TopTargets Parse(string text, SaltEnvName saltEnv)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(saltEnv);
        if (JinjaTopWrapper.UsesJinja(text))
        {
            return new Unknown("the top file uses Jinja: Salt renders it per minion");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            return new Unknown($"the top file is not YAML: {exception.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new None();
        }

        var section = root.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: var key } && key == saltEnv.ToString()).Value;
        if (section is not YamlMappingNode targets)
        {
            return new None();
        }

        var list = new List<MinionTarget>();
        foreach (var (key, items) in targets.Children)
        {
            if (key is YamlScalarNode { Value: { } expression })
            {
                list.Add(new MinionTarget(expression, MatchOf(items)));
            }
        }

        return new Known(list);
    }

    // A target's list may hold {match: grain} (Salt's top-file matcher option); the default is glob.
    private static string MatchOf(YamlNode items) =>
        items is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlMappingNode>()
                .SelectMany(option => option.Children)
                .Where(pair => pair.Key is YamlScalarNode { Value: "match" })
                .Select(pair => (pair.Value as YamlScalarNode)?.Value)
                .FirstOrDefault(value => value is not null) ?? "glob"
            : "glob";
}

/// <summary>One top-file target: an expression and Salt's matcher for it (<c>glob</c>, <c>grain</c>, <c>compound</c>, ...).</summary>
/// <param name="Expression">The target as written, e.g. <c>web*</c> or <c>os:Debian</c>.</param>
/// <param name="Match">The top file's <c>match:</c> option, <c>glob</c> when absent.</param>
public sealed record MinionTarget(string Expression, string Match);
