using Spiro.Core.Names;
using Spiro.Protocol.Highstate;

namespace Spiro.Core.Highstate;

/// <summary>The stored results of one highstate run.</summary>
/// <param name="RunId">Identifies the run (several runs may target one release, e.g. test=True then real).</param>
/// <param name="ReleaseId">The release the saltenv served.</param>
/// <param name="SaltEnv">The saltenv highstated.</param>
/// <param name="Test">Whether it ran with <c>test=True</c>.</param>
/// <param name="FinishedAt">When salt finished (UTC).</param>
/// <param name="Minions">Per-minion results, sorted by minion id.</param>
public sealed record HighstateRun(
    string RunId,
    string ReleaseId,
    SaltEnvName SaltEnv,
    bool Test,
    DateTimeOffset FinishedAt,
    IReadOnlyList<MinionSummary> Minions);
