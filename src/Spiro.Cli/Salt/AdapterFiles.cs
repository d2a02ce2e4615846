namespace Spiro.Cli.Salt;

/// <summary>
/// The Python Salt adapter shipped inside the executable (embedded from the repo's salt/ directory
/// at build time), so an installed <c>spiro</c> never needs the source tree.
/// </summary>
internal static class AdapterFiles
{
    /// <summary>Paths relative to a Salt <c>module_dirs</c> entry; also the resource names.</summary>
    public static readonly IReadOnlyList<string> RelativePaths =
    [
        "fileserver/spiro.py",
        "runners/spiro.py",
        "engines/spiro.py",
        "tops/spiro.py",
    ];

    /// <summary>Opens the embedded copy of <paramref name="relativePath"/>.</summary>
    public static Stream Open(string relativePath) =>
        typeof(AdapterFiles).Assembly.GetManifestResourceStream("salt/" + relativePath)
        ?? throw new InvalidOperationException($"The adapter file {relativePath} is not embedded in this build.");
}
