using System.Text.Json.Serialization;

namespace Spiro.Protocol.Plans;

/// <summary>A plan (docs/api.md "Plans"): the data of the <c>plan</c> event and of <c>GET /api/v1/plans/{id}</c>.</summary>
/// <param name="Msg">One line for a person.</param>
/// <param name="PlanId">The plan's id (its candidate's release id): what <c>--apply</c> takes.</param>
/// <param name="SaltEnv">The saltenv the candidate would go live in.</param>
/// <param name="Live">The release live when the plan was made (what apply requires to still be live), or null.</param>
/// <param name="Created">When the plan was made (ISO 8601 UTC).</param>
/// <param name="Expires">When it can no longer be applied.</param>
/// <param name="Status"><c>pending</c>, <c>applied</c> or <c>expired</c>.</param>
/// <param name="Diff">The candidate against the live release; null once the candidate is gone.</param>
public sealed record PlanView(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("plan_id")] string PlanId,
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("live"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Live,
    [property: JsonPropertyName("created")] string Created,
    [property: JsonPropertyName("expires")] string Expires,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("diff")] ReleaseDiff? Diff);
