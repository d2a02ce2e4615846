namespace Spiro.Core.Deploys;

/// <summary>One persisted event of a deploy.</summary>
/// <param name="Seq">Position within the deploy, from 1; the SSE <c>id:</c>.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Name">SSE event name.</param>
/// <param name="Data">One-line JSON object.</param>
public sealed record StoredDeployEvent(long Seq, DateTimeOffset At, string Name, string Data);
