namespace Spiro.Core.Releases;

/// <summary>One change of a saltenv's pointer, newest last.</summary>
/// <param name="At">When it happened.</param>
/// <param name="SaltEnv">The saltenv, as Salt spells it.</param>
/// <param name="ReleaseId">The release made live, or null for a delete.</param>
/// <param name="Action"><c>publish</c>, <c>deploy</c>, <c>rollback</c>, <c>promote</c>, <c>delete</c> or <c>recover</c>.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Detail">One line of context, e.g. the release replaced.</param>
public sealed record HistoryEntry(DateTimeOffset At, string SaltEnv, string? ReleaseId, string Action, string Actor, string Detail);
