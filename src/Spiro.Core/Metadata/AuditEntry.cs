namespace Spiro.Core.Metadata;

/// <summary>One row of the audit log.</summary>
/// <param name="Seq">Position in the chain, from 1.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Actor">Who: a token label and id (never the token), or <c>cli:&lt;user&gt;</c>.</param>
/// <param name="Action">What: <c>deploy</c>, <c>rollback</c>, <c>token.issue</c>, <c>auth</c>, ...</param>
/// <param name="Target">What it applied to: a saltenv, project or token id.</param>
/// <param name="Outcome"><c>ok</c>, <c>refused</c>, <c>failed</c>.</param>
/// <param name="Detail">Free text, one line.</param>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string Outcome, string Detail);
