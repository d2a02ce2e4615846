namespace Spiro.Core.TopFiles;

/// <summary>
/// The saltenv through which a release that is not live yet is served for the render gate:
/// <c>_spiro_check/&lt;release-id&gt;</c>. No project name starts with <c>_</c>, and the Salt
/// adapter serves it on request without listing it in <c>envs()</c>, so no other highstate or
/// show_top ever sees it (docs/storage.md, docs/salt.md).
/// </summary>
public static class CheckSaltEnv
{
    /// <summary>The first segment of every check saltenv.</summary>
    public const string Prefix = "_spiro_check";

    /// <summary>The check saltenv of <paramref name="releaseId"/>.</summary>
    public static string For(string releaseId) => Prefix + "/" + releaseId;
}
