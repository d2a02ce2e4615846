using Spiro.Core.Names;
using Spiro.Core.TopFiles;

namespace Spiro.Core.Highstate;

/// <summary>One highstate of the minions using <paramref name="SaltEnv"/>.</summary>
/// <param name="SaltEnv">The saltenv just published.</param>
/// <param name="ReleaseId">The release it now serves (results are stored with it).</param>
/// <param name="Test">Run with <c>test=True</c> (dry run).</param>
/// <param name="TolerateMissing">Expected minions that do not return do not fail the deploy (they are still reported).</param>
/// <param name="Targets">The release's top targets for the saltenv, to find expected minions that do not answer; null: unknown.</param>
public sealed record HighstateRequest(SaltEnvName SaltEnv, string ReleaseId, bool Test, bool TolerateMissing = false, TopTargets? Targets = null)
{
    /// <summary>
    /// For a plan: the plan saltenv (<c>_spiro_plan/&lt;id&gt;</c>) that serves the candidate
    /// <see cref="ReleaseId"/>. The run then reports which minions the candidate's top data
    /// selects next to the live one's, and highstates those (with <see cref="Test"/>) in the plan
    /// saltenv, never in <see cref="SaltEnv"/>. Null for a deploy.
    /// </summary>
    public string? PlanSaltEnv { get; init; }
}
