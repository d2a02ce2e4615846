using Spiro.Core.Names;

namespace Spiro.Core.Highstate;

/// <summary>What <c>spiro query-highstate</c> shows: who a highstate would touch now, and what past ones did.</summary>
/// <param name="SaltEnv">The saltenv asked about.</param>
/// <param name="ShowTop">Salt's current answer (affected minions), or why it could not be had.</param>
/// <param name="LiveRelease">The release the saltenv serves, or null when it is not published.</param>
/// <param name="Runs">Stored highstate runs of the live release, oldest first.</param>
public sealed record HighstateReport(SaltEnvName SaltEnv, ShowTopResult ShowTop, string? LiveRelease, IReadOnlyList<HighstateRun> Runs);
