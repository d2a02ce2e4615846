using System.Text.Json.Serialization;
using Spiro.Protocol.Highstate;

namespace Spiro.Protocol.Views;

/// <summary>One stored highstate run of a release (the <c>highstate</c> list of <see cref="ReleaseView"/>).</summary>
/// <param name="RunId">Identifies the run (a release may have a test run and a real one).</param>
/// <param name="Test">Whether it ran with <c>test=True</c>.</param>
/// <param name="FinishedAt">When Salt finished (<see cref="WireTime"/>).</param>
/// <param name="Minions">Each minion's summary (docs/highstate.md "Results"), by minion id.</param>
public sealed record HighstateRunView(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("test")] bool Test,
    [property: JsonPropertyName("finished_at")] string FinishedAt,
    [property: JsonPropertyName("minions")] IReadOnlyDictionary<string, MinionReport> Minions);
