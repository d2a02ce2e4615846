namespace Spiro.Core.Yaml;

/// <summary>The rule ids a <see cref="YamlViolation"/> carries; stable, for logs, tests and API clients.</summary>
public static class YamlRules
{
    /// <summary>Malformed in a way the YAML parser fails on without a syntax error of its own.</summary>
    public const string Invalid = "yaml-invalid";

    /// <summary>Mappings and sequences nested deeper than <see cref="YamlLimits.MaxDepth"/>.</summary>
    public const string TooDeep = "yaml-too-deep";

    /// <summary>More nodes than <see cref="YamlLimits.MaxNodes"/>, aliases expanded.</summary>
    public const string TooManyNodes = "yaml-too-many-nodes";

    /// <summary>More scalar text than <see cref="YamlLimits.MaxScalarChars"/>, aliases expanded.</summary>
    public const string TooLarge = "yaml-too-large";

    /// <summary>An alias inside the node its anchor names: the document would be infinite.</summary>
    public const string RecursiveAlias = "yaml-recursive-alias";

    /// <summary>The generated top file is larger than <see cref="TopFiles.TopFileCompiler.MaxTopBytes"/>.</summary>
    public const string TopTooLarge = "top-too-large";
}
