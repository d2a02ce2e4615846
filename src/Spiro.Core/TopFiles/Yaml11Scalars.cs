using System.Text.RegularExpressions;

namespace Spiro.Core.TopFiles;

/// <summary>
/// How Salt's YAML loader (PyYAML, YAML 1.1) types a plain scalar. Salt sees <c>yes</c>, <c>1.0</c> or
/// <c>~</c> as bool, number and None, so a state or target written that way is not a string.
/// </summary>
internal static partial class Yaml11Scalars
{
    /// <summary>The YAML 1.1 type a plain scalar resolves to, or null when it is a string.</summary>
    public static string? NonStringType(string plain) => plain switch
    {
        _ when NullPattern().IsMatch(plain) => "null",
        _ when BoolPattern().IsMatch(plain) => "a boolean",
        _ when IntPattern().IsMatch(plain) => "an integer",
        _ when FloatPattern().IsMatch(plain) => "a number",
        _ => null,
    };

    [GeneratedRegex(@"\A(?:~|null|Null|NULL|)\z", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"\A(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\z", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex(@"\A[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"\A(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
