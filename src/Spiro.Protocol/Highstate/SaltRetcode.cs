using System.Text.Json.Nodes;

namespace Spiro.Protocol.Highstate;

/// <summary>
/// The retcode Salt 3006 sets for a <c>state.highstate</c> return (salt/modules/state.py
/// <c>_set_retcode</c> with salt/utils/state.py <c>check_result</c>), for when only the return is
/// known (the <c>salt</c> CLI prints no per-minion retcode outside batch mode). Pure.
/// </summary>
public static class SaltRetcode
{
    /// <summary>Everything ran and no state failed.</summary>
    public const int Ok = 0;

    /// <summary>The states did not render or compile (Salt's <c>EX_STATE_COMPILER_ERROR</c>); also an exception.</summary>
    public const int CompilerError = 1;

    /// <summary>A state failed (Salt's <c>EX_STATE_FAILURE</c>).</summary>
    public const int StateFailure = 2;

    /// <summary>0, 1 or 2 for a highstate return; a list is a compile error, a string an exception.</summary>
    public static int Of(JsonNode? ret) => ret switch
    {
        JsonArray => CompilerError,
        JsonObject states => CheckResult(states, recurse: false) ? Ok : StateFailure,
        _ => CompilerError,
    };

    // Salt: an empty or non-dict return fails; a state whose result is false fails; a state with no
    // result is searched the same way (so its empty "changes" fails it, its comment does not).
    // Salt's exception for failed states that are onfail requisites of others is not modelled.
    private static bool CheckResult(JsonObject running, bool recurse)
    {
        if (running.Count == 0)
        {
            return false;
        }

        foreach (var (id, value) in running)
        {
            var expectsList = id == "__extend__";
            if (!recurse && (expectsList ? value is not JsonArray : value is not JsonObject))
            {
                return false;
            }

            if (value is not JsonObject state)
            {
                continue;
            }

            if (!state.TryGetPropertyValue("result", out var result))
            {
                if (!CheckResult(state, recurse: true))
                {
                    return false;
                }
            }
            else if (result is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.False)
            {
                return false;
            }
        }

        return true;
    }
}
