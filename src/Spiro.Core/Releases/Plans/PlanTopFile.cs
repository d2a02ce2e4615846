using Spiro.Core.Names;

namespace Spiro.Core.Releases.Plans;

/// <summary>
/// The top file Salt reads in a plan saltenv. Salt's default <c>merge</c> strategy keeps only the
/// section of a saltenv's top file named after that saltenv, and the candidate's top file names
/// <c>P/D</c>; so the plan top renders the candidate's own top file (served as
/// <see cref="PlanSaltEnv.ReleaseTopAlias"/>) on the minion, with its Jinja, grains and pillar, and
/// gives its <c>P/D</c> section the plan saltenv's name. Pure.
/// </summary>
public static class PlanTopFile
{
    /// <summary>The plan top file's text for candidate <paramref name="releaseId"/> of <paramref name="saltEnv"/>.</summary>
    public static string Text(SaltEnvName saltEnv, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(saltEnv);
        ArgumentException.ThrowIfNullOrEmpty(releaseId);

        // Names and ids never hold a quote or a backslash (SaltEnvName, ReleaseId), so plain quoting is exact.
        return "{%- load_yaml as top %}{% include '" + PlanSaltEnv.ReleaseTopAlias + "' %}{% endload -%}\n"
            + "{{ {'" + PlanSaltEnv.For(releaseId) + "': (top or {}).get('" + saltEnv + "', {})} | yaml(False) }}\n";
    }
}
