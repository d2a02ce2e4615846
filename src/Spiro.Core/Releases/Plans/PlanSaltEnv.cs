namespace Spiro.Core.Releases.Plans;

/// <summary>
/// The saltenv through which a plan's candidate is served to Salt for its test run:
/// <c>_spiro_plan/&lt;release-id&gt;</c>. Like the render gate's check saltenv, no project name
/// starts with <c>_</c>, and the adapter never lists it in <c>envs()</c>; only a run that names
/// it with <c>saltenv=</c> reaches it (docs/salt.md "Plans").
/// </summary>
public static class PlanSaltEnv
{
    /// <summary>The first segment of every plan saltenv.</summary>
    public const string Prefix = "_spiro_plan";

    /// <summary>The path under which the adapter serves the candidate's own top file in its plan saltenv.</summary>
    public const string ReleaseTopAlias = ".spiro-plan/release-top.sls";

    /// <summary>The plan saltenv of candidate <paramref name="releaseId"/>.</summary>
    public static string For(string releaseId) => Prefix + "/" + releaseId;
}
