using System.Text.Json.Serialization;

namespace Spiro.Protocol.Highstate;

/// <summary>A failing state as JSON: <c>{id, name, function, sls, comment}</c>.</summary>
/// <param name="Id">State id.</param>
/// <param name="Name">State name.</param>
/// <param name="Function">module.function.</param>
/// <param name="Sls">SLS it came from.</param>
/// <param name="Comment">Why it failed.</param>
public sealed record FailingStateReport(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("function")] string? Function,
    [property: JsonPropertyName("sls")] string Sls,
    [property: JsonPropertyName("comment")] string Comment)
{
    /// <summary>The JSON view of a failing <paramref name="state"/>.</summary>
    public static FailingStateReport From(StateResult state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Id, state.Name, state.Function, state.Sls, state.Comment);
    }

    /// <summary>Back to a state (result false; duration and order unknown).</summary>
    public StateResult ToState() => new(Id ?? "", Name ?? "", Function ?? "", Sls ?? "", false, false, Comment ?? "", 0, int.MaxValue);
}
