namespace Spiro.Core.Yaml;

/// <summary>
/// Bounds an untrusted YAML document must stay within before it is loaded into a node tree
/// (spirotop.sls, a kept top.sls, the server config). Checked on the parser's event stream, which
/// is iterative, so no input can make the loader recurse deeply or expand aliases without bound.
/// </summary>
public sealed record YamlLimits
{
    /// <summary>Nesting of mappings and sequences. Default 64 (a top file needs 4).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Nodes (scalars, mappings, sequences) with every alias counted as the nodes it stands for. Default 100,000.</summary>
    public long MaxNodes { get; init; } = 100_000;

    /// <summary>Characters of scalar text with every alias counted as the text it stands for. Default 1 MiB (2^20).</summary>
    public long MaxScalarChars { get; init; } = 1L << 20;

    /// <summary>The defaults.</summary>
    public static YamlLimits Default { get; } = new();
}
