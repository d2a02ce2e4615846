using Spiro.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spiro.Core.TopFiles;

/// <summary>
/// Parses and validates a plain-YAML spirotop.sls: <c>{deployment: {target: [state, ...]}}</c>.
/// The whole file is validated, not only the section being deployed: a broken section today is a
/// broken deploy of another deployment tomorrow, and CI should hear about it now.
/// </summary>
internal sealed class SpirotopParser(string fileName, YamlLimits limits)
{
    private const string StrTag = "tag:yaml.org,2002:str";

    /// <summary>The parsed file, or the first problem found with its 1-based position.</summary>
    public (Spirotop? Spirotop, TopFileResult.Invalid? Error) Parse(string yaml)
    {
        // Bounds first: the node tree below is built recursively and keeps aliases for the writer to expand.
        if (YamlBounds.Check(yaml, limits) is { } violation)
        {
            return (null, new TopFileResult.Invalid(fileName, violation.Line, violation.Column, violation.Message));
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            return (null, Invalid(exception.Start, ExceptionMessage(exception)));
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's loader fails this way on some malformed input ('a:\n  b:\n   :\n'; found by tests/Spiro.Fuzz).
            return (null, new TopFileResult.Invalid(fileName, 1, 1, $"invalid YAML: the parser failed ({exception.Message}) (rule {YamlRules.Invalid})"));
        }

        if (stream.Documents.Count == 0)
        {
            return (new Spirotop([]), null);
        }

        if (stream.Documents.Count > 1)
        {
            return (null, Invalid(stream.Documents[1].RootNode.Start, "spirotop.sls must hold one YAML document; found a second one"));
        }

        try
        {
            return (ReadRoot(stream.Documents[0].RootNode), null);
        }
        catch (SpirotopException exception)
        {
            return (null, Invalid(exception.At, exception.Message));
        }
    }

    private static Spirotop ReadRoot(YamlNode root)
    {
        if (root is YamlScalarNode { Style: ScalarStyle.Plain } empty && Yaml11Scalars.NonStringType(empty.Value ?? "") == "null")
        {
            return new Spirotop([]);
        }

        var mapping = root as YamlMappingNode
            ?? throw new SpirotopException(root.Start, $"spirotop.sls must be a mapping of deployment names to sections, like {{dev: {{minion-glob: [state]}}}}; found {Describe(root)}");
        var sections = new List<SpirotopSection>();
        // Duplicate keys (also 'x' next to "x") are refused by YamlDotNet while loading, with their position.
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var deployment = KeyText(keyNode, "deployment name");
            sections.Add(new SpirotopSection(deployment, ReadSection(deployment, valueNode)));
        }

        return new Spirotop(sections);
    }

    // A null section ('dev:' with nothing under it) is rejected rather than read as "no targets": copied
    // into a top file it makes Salt's merge_tops raise "No targets found" for every highstate on every
    // minion. Write 'dev: {}' for a deployment that should have no targets (it then gets no top file).
    private static List<TopTarget> ReadSection(string deployment, YamlNode node)
    {
        if (IsNull(node))
        {
            throw new SpirotopException(node.Start, $"section '{deployment}' is empty; give it targets ({{minion-glob: [state]}}) or write '{deployment}: {{}}' for no targets");
        }

        var mapping = node as YamlMappingNode
            ?? throw new SpirotopException(node.Start, $"section '{deployment}' must be a mapping of targets to lists of states; found {Describe(node)}");
        var targets = new List<TopTarget>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var target = StringScalar(keyNode, $"target in section '{deployment}'");
            targets.Add(new TopTarget(target, ReadItems(deployment, target.Text, valueNode)));
        }

        return targets;
    }

    private static List<TopItem> ReadItems(string deployment, string target, YamlNode node)
    {
        var where = $"target '{target}' in section '{deployment}'";
        var sequence = node as YamlSequenceNode
            ?? throw new SpirotopException(node.Start, $"{where} must have a list of states; found {Describe(node)}");
        var items = new List<TopItem>();
        foreach (var item in sequence.Children)
        {
            items.Add(item switch
            {
                YamlScalarNode => new TopItem.State(StringScalar(item, $"state of {where}")),
                YamlMappingNode { Children.Count: 1 } option => ReadOption(where, option),
                _ => throw new SpirotopException(item.Start, $"each entry of {where} must be a state name or a single-key option such as 'match: grain'; found {Describe(item)}"),
            });
        }

        return items;
    }

    private static TopItem.Option ReadOption(string where, YamlMappingNode option)
    {
        var (keyNode, valueNode) = option.Children.Single();
        var key = StringScalar(keyNode, $"option key of {where}");
        if (valueNode is not YamlScalarNode value)
        {
            throw new SpirotopException(valueNode.Start, $"option '{key.Text}' of {where} must have a single value; found {Describe(valueNode)}");
        }

        return new TopItem.Option(key, Scalar(value));
    }

    private static string KeyText(YamlNode node, string what) => node is YamlScalarNode scalar && !IsNull(scalar)
        ? scalar.Value ?? ""
        : throw new SpirotopException(node.Start, $"{what} must be a string; found {Describe(node)}");

    /// <summary>A scalar Salt will read as a string; plain <c>yes</c>, <c>12</c> or <c>~</c> are not.</summary>
    private static TopScalar StringScalar(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw new SpirotopException(node.Start, $"{what} must be a string; found {Describe(node)}");
        }

        var text = scalar.Value ?? "";
        if (!IsString(scalar))
        {
            throw new SpirotopException(node.Start, $"{what} must be a string; '{text}' is read by Salt as {Yaml11Scalars.NonStringType(text) ?? "a tagged value"} (quote it)");
        }

        if (text.Length == 0)
        {
            throw new SpirotopException(node.Start, $"{what} must not be empty");
        }

        return Scalar(scalar);
    }

    private static TopScalar Scalar(YamlScalarNode scalar) =>
        new(scalar.Value ?? "", scalar.Style != ScalarStyle.Plain || ExplicitTag(scalar) == StrTag);

    private static bool IsString(YamlScalarNode scalar) => ExplicitTag(scalar) switch
    {
        null => scalar.Style != ScalarStyle.Plain || Yaml11Scalars.NonStringType(scalar.Value ?? "") is null,
        var tag => tag == StrTag,
    };

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain } scalar && ExplicitTag(scalar) is null && Yaml11Scalars.NonStringType(scalar.Value ?? "") == "null";

    /// <summary>The tag written in the file (e.g. <c>!!str</c>), or null when the type is implied.</summary>
    private static string? ExplicitTag(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing (null)",
        YamlScalarNode scalar => $"the scalar '{scalar.Value}'",
        _ => "an unsupported node",
    };

    private static string ExceptionMessage(YamlException exception)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: ...) - (Line...): "; the position is reported separately.
        var message = exception.InnerException is YamlException inner ? inner.Message : exception.Message;
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return "invalid YAML: " + (message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0 ? message[(marker + 3)..] : message);
    }

    private TopFileResult.Invalid Invalid(Mark at, string message) => new(fileName, (int)at.Line, (int)at.Column, message);

    private sealed class SpirotopException(Mark at, string message) : Exception(message)
    {
        public Mark At { get; } = at;
    }
}
