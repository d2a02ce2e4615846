using System.Globalization;
using System.Text;

namespace Spiro.Core.Metadata;

/// <summary>
/// One audit field as stored and printed: control characters (newlines, ANSI escapes) written as
/// <c>\n</c> or <c>\u001b</c>, so a field can neither forge a row in <c>spiro audit</c> nor reach
/// the admin's terminal, and cut at a length cap with a marker, so no request grows the table much.
/// Backslashes are kept as they are, so cleaning clean text changes nothing (rows are printed
/// through it again, for rows written before it existed).
/// </summary>
public static class AuditText
{
    /// <summary>Cap of the detail field in characters (after escaping).</summary>
    public const int MaxDetail = 2000;

    /// <summary>Cap of every other field in characters (after escaping).</summary>
    public const int MaxField = 300;

    /// <summary><paramref name="value"/> escaped and capped at <paramref name="max"/> characters.</summary>
    public static string Clean(string value, int max = MaxField)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value)
        {
            if (builder.Length >= max)
            {
                return builder.Append("...[cut]").ToString();
            }

            _ = c switch
            {
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                '\t' => builder.Append(@"\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
