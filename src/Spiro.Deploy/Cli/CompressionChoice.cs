namespace Spiro.Deploy.Cli;

/// <summary>What <c>--compress</c> asked for.</summary>
internal enum CompressionChoice
{
    /// <summary>gzip on the v1 API when the server offers it, else plain tar.</summary>
    Auto,

    /// <summary>Plain tar.</summary>
    None,

    /// <summary>gzip; the server must list the <c>gzip</c> feature.</summary>
    Gzip,

    /// <summary>zstd; the server must list the <c>zstd</c> feature.</summary>
    Zstd,
}
