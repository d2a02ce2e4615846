namespace Spiro.Core.Releases.Deltas;

/// <summary>
/// One entry of a negotiated upload's plan: a tar entry of the bundle as the client would have
/// sent it (see docs/api.md, "Negotiated upload"). Unchecked until <see cref="DeltaPlanRules.Check"/>.
/// </summary>
/// <param name="Path">The tar entry name.</param>
/// <param name="Kind">File, directory or link.</param>
/// <param name="Mode">Permission bits of the tar header.</param>
/// <param name="Size">Content bytes of a file.</param>
/// <param name="Sha256">Lower-case hex sha256 of a file's content.</param>
/// <param name="Link">Target of a symlink or hardlink.</param>
public sealed record PlannedEntry(string Path, PlannedKind Kind, int Mode, long Size, string? Sha256, string? Link)
{
    private const int ExecBits = 0b001_001_001;

    /// <summary>Whether the file is published executable (any exec bit, as the bundle reader decides).</summary>
    public bool Executable => (Mode & ExecBits) != 0;
}
