using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiro.Protocol.Highstate;

/// <summary>
/// The value Salt's <c>LocalClient.cmd_iter(..., expect_minions=True)</c> yields per minion, which
/// the original SpiroFS server put into <c>highstate-update.result</c> and the original client reads:
/// <c>{"jid", "out": "highstate", "ret": states-or-errors, "retcode": N}</c>, or
/// <c>{"failed": true}</c> for a minion that did not return (docs/api.md).
/// </summary>
public static class CmdIterResult
{
    /// <summary><c>{"jid": jid, "out": "highstate", "ret": ret, "retcode": retcode}</c>, keys in Salt's order.</summary>
    public static JsonObject Returned(string jid, JsonNode? ret, int retcode) => new()
    {
        ["jid"] = jid,
        ["out"] = "highstate",
        ["ret"] = ret?.DeepClone(),
        ["retcode"] = retcode,
    };

    /// <summary><c>{"failed": true}</c>: the minion did not return.</summary>
    public static JsonObject Failed() => new() { ["failed"] = true };

    /// <summary>Whether <paramref name="value"/> is <c>{"failed": true}</c>.</summary>
    public static bool IsFailed(JsonNode? value) =>
        value is JsonObject map && !map.ContainsKey("ret") && map["failed"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;

    /// <summary>The <c>ret</c> and <c>retcode</c> of a <c>{jid, out, ret, retcode}</c> value; false for any other shape.</summary>
    public static bool TryUnwrap(JsonNode? value, out JsonNode? ret, out int? retcode)
    {
        ret = null;
        retcode = null;
        if (value is not JsonObject map || !map.ContainsKey("ret") || !(map.ContainsKey("retcode") || map.ContainsKey("jid") || map.ContainsKey("out"))
            || map.Any(pair => pair.Key.Contains("_|-", StringComparison.Ordinal)))
        {
            return false;
        }

        ret = map["ret"];
        retcode = map["retcode"] is JsonValue code && code.TryGetValue<int>(out var number) ? number : null;
        return true;
    }
}
