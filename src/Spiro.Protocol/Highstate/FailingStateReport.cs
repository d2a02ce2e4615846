using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spiro.Protocol.Highstate;

/// <summary>A failing state as JSON: <c>{id, name, function, sls, comment, changes}</c>.</summary>
/// <param name="Id">State id.</param>
/// <param name="Name">State name.</param>
/// <param name="Function">module.function.</param>
/// <param name="Sls">SLS it came from.</param>
/// <param name="Comment">Why it failed.</param>
/// <param name="Changes">Its <c>changes</c> as Salt returned them; absent when none or over <see cref="StateResult.MaxKeptChangesBytes"/>.</param>
/// <param name="ChangesNotKept">True when it had changes too large to keep (absent otherwise).</param>
public sealed record FailingStateReport(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("function")] string? Function,
    [property: JsonPropertyName("sls")] string Sls,
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("changes")] JsonElement? Changes = null,
    [property: JsonPropertyName("changes_not_kept")] bool? ChangesNotKept = null)
{
    /// <summary>The JSON view of a failing <paramref name="state"/>.</summary>
    public static FailingStateReport From(StateResult state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Id, state.Name, state.Function, state.Sls, state.Comment,
            state.Changes is { } changes ? JsonDocument.Parse(changes).RootElement.Clone() : null,
            state.Changed && state.Changes is null ? true : null);
    }

    /// <summary>Back to a state (result false; duration and order unknown).</summary>
    public StateResult ToState()
    {
        var changes = Changes is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } kept ? kept.GetRawText() : null;
        if (changes is not null && System.Text.Encoding.UTF8.GetByteCount(changes) > StateResult.MaxKeptChangesBytes)
        {
            // A stored row or an event from elsewhere is held to the same bound as a fresh return.
            changes = null;
        }

        return new(Id ?? "", Name ?? "", Function ?? "", Sls ?? "", false, changes is not null || ChangesNotKept == true, Comment ?? "", 0, int.MaxValue, changes);
    }
}
