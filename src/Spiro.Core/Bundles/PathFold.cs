using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Spiro.Core.Bundles;

/// <summary>
/// The key two paths share when a case-insensitive, normalising file system (macOS, Windows) would
/// make them one: canonical decomposition, combining marks in a fixed order, then upper case.
/// Canonically equivalent paths (NFC and NFD spellings) get the same key. The table is our own
/// because the process runs with InvariantGlobalization, where string.Normalize does not decompose.
/// </summary>
internal static class PathFold
{
    private const int HangulFirst = 0xAC00;
    private const int HangulLast = 0xD7A3;
    private const int HangulLeadBase = 0x1100;
    private const int HangulVowelBase = 0x1161;
    private const int HangulTrailBase = 0x11A7;
    private const int HangulTrailCount = 28;
    private const int HangulVowelTrailCount = 21 * HangulTrailCount;

    private static readonly FrozenDictionary<char, string> Decompositions = CanonicalDecompositionData.Entries
        .Split('|', StringSplitOptions.RemoveEmptyEntries)
        .ToFrozenDictionary(entry => entry[0], entry => entry[1..]);

    public static string Fold(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Ascii.IsValid(path))
        {
            return path.ToUpperInvariant(); // nothing to decompose: the common case, without a copy to build
        }

        var text = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (c < 0x80)
            {
                text.Append(c);
            }
            else if (c is >= (char)HangulFirst and <= (char)HangulLast)
            {
                var index = c - HangulFirst;
                text.Append((char)(HangulLeadBase + (index / HangulVowelTrailCount)));
                text.Append((char)(HangulVowelBase + (index % HangulVowelTrailCount / HangulTrailCount)));
                if (index % HangulTrailCount != 0)
                {
                    text.Append((char)(HangulTrailBase + (index % HangulTrailCount)));
                }
            }
            else
            {
                text.Append(Decompositions.TryGetValue(c, out var decomposed) ? decomposed : c.ToString());
            }
        }

        SortMarkRuns(text);
        return text.ToString().ToUpperInvariant();
    }

    /// <summary>
    /// Canonical ordering sorts marks by combining class; sorting each run of marks ordinally instead
    /// gives every canonically equivalent order the same key (and merges a few that are not, which
    /// only ever rejects a bundle no real project has).
    /// </summary>
    private static void SortMarkRuns(StringBuilder text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && IsMark(text[i]))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0 && i - start > 1)
            {
                var run = text.ToString(start, i - start).ToCharArray();
                Array.Sort(run);
                for (var j = 0; j < run.Length; j++)
                {
                    text[start + j] = run[j];
                }
            }

            start = -1;
        }
    }

    private static bool IsMark(char c) => c >= 0x300 && CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
