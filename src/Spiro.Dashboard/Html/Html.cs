using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Spiro.Dashboard.Html;

/// <summary>
/// Builds an HTML document in which everything that is not a literal tag or attribute name is
/// encoded: text and attribute values can only go in through <see cref="Text"/> and attribute
/// tuples, so a state comment or commit message holding <c>&lt;script&gt;</c> shows as text.
/// Tag and attribute names come from this assembly's code only.
/// </summary>
internal sealed class Html
{
    // Every Unicode letter stays readable; markup characters (< > & " ' and controls) are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _out = new(32 * 1024);

    /// <summary>Opens <paramref name="tag"/> with attributes; a null value leaves the attribute out, an empty one writes it bare.</summary>
    public Html Open(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _out.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            _out.Append(' ').Append(name);
            if (value.Length > 0)
            {
                _out.Append("=\"").Append(Encoder.Encode(value)).Append('"');
            }
        }

        _out.Append('>');
        return this;
    }

    /// <summary>Closes <paramref name="tag"/>.</summary>
    public Html Close(string tag)
    {
        _out.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Encoded text.</summary>
    public Html Text(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            // Encode returns the same string when nothing needs escaping: most text costs one append.
            _out.Append(Encoder.Encode(text));
        }

        return this;
    }

    /// <summary><c>&lt;tag attrs&gt;text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text, params ReadOnlySpan<(string Name, string? Value)> attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary><c>&lt;thead&gt;&lt;tr&gt;</c> with one <c>th</c> per column, closed.</summary>
    public Html HeaderRow(params ReadOnlySpan<string> columns)
    {
        Open("thead").Open("tr");
        foreach (var column in columns)
        {
            Element("th", column);
        }

        return Close("tr").Close("thead");
    }

    /// <summary>A link with encoded text and address.</summary>
    public Html Link(string href, string? text, string? cssClass = null) => Element("a", text, ("href", href), ("class", cssClass));

    /// <summary>An element without content (<c>input</c>, <c>link</c>, <c>meta</c>).</summary>
    public Html Void(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes) => Open(tag, attributes);

    /// <summary>The doctype; only at the start of a document.</summary>
    public Html Doctype()
    {
        _out.Append("<!DOCTYPE html>");
        return this;
    }

    /// <summary>The document so far.</summary>
    public override string ToString() => _out.ToString();
}
