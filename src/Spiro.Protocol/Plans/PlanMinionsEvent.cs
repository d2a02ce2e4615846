using System.Text.Json.Serialization;

namespace Spiro.Protocol.Plans;

/// <summary>Data of <c>plan-minions</c>: which minions the candidate's top data selects, next to the live one's.</summary>
/// <param name="Msg">One line for a person.</param>
/// <param name="Live">Minions whose top data (the live release) lists the saltenv.</param>
/// <param name="Candidate">Minions whose top data would list it with the candidate.</param>
/// <param name="Errors">Minions that answered with an error instead of top data: minion to text.</param>
public sealed record PlanMinionsEvent(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("live")] IReadOnlyList<string> Live,
    [property: JsonPropertyName("candidate")] IReadOnlyList<string> Candidate,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string> Errors);
