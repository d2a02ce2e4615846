using System.Globalization;
using System.Text;
using DiffPlex;

namespace Spiro.Core.Releases.Diff;

/// <summary>
/// A unified diff (as <c>diff -u</c> prints it) of two texts. Pure. The line alignment is
/// DiffPlex's (Myers' algorithm); this class only groups its blocks into hunks with context.
/// </summary>
public static class UnifiedDiff
{
    /// <summary>Lines of unchanged context around each change, as <c>diff -u</c>.</summary>
    public const int DefaultContext = 3;

    /// <summary>
    /// The diff of <paramref name="before"/> and <paramref name="after"/> with <c>---</c>/<c>+++</c>
    /// headers, or an empty string when the texts are equal. Lines end with <c>\n</c>.
    /// </summary>
    /// <param name="before">The older text.</param>
    /// <param name="after">The newer text.</param>
    /// <param name="beforeLabel">Name on the <c>---</c> line.</param>
    /// <param name="afterLabel">Name on the <c>+++</c> line.</param>
    /// <param name="context">Unchanged lines shown around each change.</param>
    public static string Create(string before, string after, string beforeLabel, string afterLabel, int context = DefaultContext)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var oldLines = Lines(before);
        var newLines = Lines(after);
        var ops = Operations(oldLines, newLines);
        var changes = ops.Select((op, index) => (op, index)).Where(x => x.op.Mark != ' ').Select(x => x.index).ToList();
        if (changes.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(beforeLabel).Append('\n').Append("+++ ").Append(afterLabel).Append('\n');
        var first = 0;
        while (first < changes.Count)
        {
            // A hunk runs on while the next change is close enough for the two contexts to touch.
            var last = first;
            while (last + 1 < changes.Count && changes[last + 1] - changes[last] <= (2 * context) + 1)
            {
                last++;
            }

            AppendHunk(text, ops, Math.Max(0, changes[first] - context), Math.Min(ops.Count, changes[last] + context + 1));
            first = last + 1;
        }

        return text.ToString();
    }

    private static void AppendHunk(StringBuilder text, List<Op> ops, int start, int end)
    {
        var oldCount = 0;
        var newCount = 0;
        for (var i = start; i < end; i++)
        {
            oldCount += ops[i].Mark != '+' ? 1 : 0;
            newCount += ops[i].Mark != '-' ? 1 : 0;
        }

        // diff -u numbers an empty side by the line before it.
        var oldStart = oldCount == 0 ? ops[start].OldIndex : ops[start].OldIndex + 1;
        var newStart = newCount == 0 ? ops[start].NewIndex : ops[start].NewIndex + 1;
        text.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
        for (var i = start; i < end; i++)
        {
            text.Append(ops[i].Mark).Append(ops[i].Line).Append('\n');
        }
    }

    /// <summary>As GNU diff writes a range: the count is left out when it is 1.</summary>
    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start},{count}");

    private static List<Op> Operations(string[] oldLines, string[] newLines)
    {
        var result = Differ.Instance.CreateLineDiffs(string.Join('\n', oldLines), string.Join('\n', newLines), ignoreWhitespace: false);
        var ops = new List<Op>();
        int a = 0, b = 0;
        foreach (var block in result.DiffBlocks)
        {
            while (a < block.DeleteStartA)
            {
                ops.Add(new Op(' ', oldLines[a], a++, b++));
            }

            for (var i = 0; i < block.DeleteCountA; i++)
            {
                ops.Add(new Op('-', oldLines[a], a++, b));
            }

            for (var i = 0; i < block.InsertCountB; i++)
            {
                ops.Add(new Op('+', newLines[b], a, b++));
            }
        }

        while (a < oldLines.Length)
        {
            ops.Add(new Op(' ', oldLines[a], a++, b++));
        }

        return ops;
    }

    /// <summary>Lines without their terminators; a final newline does not start another line.</summary>
    private static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>One line of the edit script with the positions before it in both texts.</summary>
    private readonly record struct Op(char Mark, string Line, int OldIndex, int NewIndex);
}
