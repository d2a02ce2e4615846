using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Spiro.Core.Releases.Layout;

/// <summary>Release ids: <c>YYYYMMDDTHHMMSSZ-&lt;8 hex&gt;</c>, sortable by creation second and never reused.</summary>
internal static partial class ReleaseId
{
    public static string New(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-"
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex(@"\A[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
