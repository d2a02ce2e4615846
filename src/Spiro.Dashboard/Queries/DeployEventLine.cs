namespace Spiro.Dashboard.Queries;

/// <summary>One event of a deploy as a line: sequence, time, name and its <c>msg</c>.</summary>
internal sealed record DeployEventLine(long Seq, DateTimeOffset At, string Name, string Message);
