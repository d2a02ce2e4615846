using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Spiro.Core.Yaml;

/// <summary>
/// Checks a YAML text against <see cref="YamlLimits"/> on YamlDotNet's event parser (a state
/// machine, no recursion) before anything builds a node tree or writes the document out. Each
/// anchor's expanded size is remembered, so an alias costs what it stands for: the "billion
/// laughs" document is refused here, not after it filled memory.
/// </summary>
public static class YamlBounds
{
    /// <summary>The first bound the text breaks, or null. Syntax errors are left to the loader, which reports them with their position.</summary>
    public static YamlViolation? Check(string text, YamlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        var scan = new Scan(limits);
        var parser = new Parser(new StringReader(text));
        var at = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                at = parser.Current!.End;
                if (scan.Step(parser.Current!) is { } violation)
                {
                    return violation;
                }
            }
        }
        catch (YamlException)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner can fail this way on malformed input (found by tests/Spiro.Fuzz);
            // the loader would fail the same way, so the text is refused here.
            return new YamlViolation(YamlRules.Invalid, (int)at.Line, (int)at.Column, $"invalid YAML after this position: the parser failed ({e.Message}) (rule {YamlRules.Invalid})");
        }

        return null;
    }

    /// <summary>Running counts over the events of one text.</summary>
    private sealed class Scan(YamlLimits limits)
    {
        private readonly Stack<Frame> _open = new();
        private readonly Dictionary<string, Cost> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private long _chars;

        public YamlViolation? Step(ParsingEvent parsed) => parsed switch
        {
            MappingStart or SequenceStart => Open((NodeEvent)parsed),
            MappingEnd or SequenceEnd => Close(),
            Scalar scalar => Add(scalar, new Cost(1, scalar.Value.Length), scalar.Anchor),
            AnchorAlias alias => Alias(alias),
            DocumentEnd => Reset(),
            _ => null,
        };

        private YamlViolation? Open(NodeEvent start)
        {
            if (_open.Count >= limits.MaxDepth)
            {
                return Violation(YamlRules.TooDeep, start.Start, $"nested deeper than {limits.MaxDepth} mappings or lists (limit MaxDepth {limits.MaxDepth})");
            }

            _open.Push(new Frame(start.Anchor.IsEmpty ? null : start.Anchor.Value));
            return Count(start, new Cost(1, 0));
        }

        private YamlViolation? Close()
        {
            if (_open.Count == 0)
            {
                return null;
            }

            var closed = _open.Pop();
            if (closed.Anchor is { } anchor)
            {
                _anchors[anchor] = closed.Cost;
            }

            if (_open.TryPeek(out var parent))
            {
                parent.Cost = parent.Cost.Plus(closed.Cost);
            }

            return null;
        }

        private YamlViolation? Alias(AnchorAlias alias)
        {
            var name = alias.Value.Value;
            if (_open.Any(frame => string.Equals(frame.Anchor, name, StringComparison.Ordinal)))
            {
                return Violation(YamlRules.RecursiveAlias, alias.Start, $"alias *{name} is inside the node its anchor names, so the document has no end (rule {YamlRules.RecursiveAlias})", withRule: false);
            }

            // An alias of an unknown anchor is a syntax error the loader reports; count it as one node.
            return Add(alias, _anchors.TryGetValue(name, out var cost) ? cost : new Cost(1, 0), AnchorName.Empty);
        }

        private YamlViolation? Add(ParsingEvent parsed, Cost cost, AnchorName anchor)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = cost;
            }

            if (_open.TryPeek(out var frame))
            {
                frame.Cost = frame.Cost.Plus(cost);
            }

            return Count(parsed, cost);
        }

        private YamlViolation? Count(ParsingEvent parsed, Cost cost)
        {
            _nodes = Saturating(_nodes, cost.Nodes);
            _chars = Saturating(_chars, cost.Chars);
            if (_nodes > limits.MaxNodes)
            {
                return Violation(YamlRules.TooManyNodes, parsed.Start, $"has more than {limits.MaxNodes} nodes, aliases counted as what they stand for (limit MaxNodes {limits.MaxNodes})");
            }

            return _chars > limits.MaxScalarChars
                ? Violation(YamlRules.TooLarge, parsed.Start, $"has more than {limits.MaxScalarChars} characters of text, aliases counted as what they stand for (limit MaxScalarChars {limits.MaxScalarChars})")
                : null;
        }

        // Anchors are per document; so are the counts (the loaders refuse a second document anyway).
        private YamlViolation? Reset()
        {
            _anchors.Clear();
            _open.Clear();
            return null;
        }

        private static YamlViolation Violation(string rule, Mark at, string message, bool withRule = true) =>
            new(rule, (int)at.Line, (int)at.Column, withRule ? $"YAML {message} (rule {rule})" : $"YAML {message}");
    }

    private sealed class Frame(string? anchor)
    {
        public string? Anchor { get; } = anchor;

        public Cost Cost { get; set; } = new(1, 0);
    }

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private readonly record struct Cost(long Nodes, long Chars)
    {
        public Cost Plus(Cost other) => new(Saturating(Nodes, other.Nodes), Saturating(Chars, other.Chars));
    }
}
