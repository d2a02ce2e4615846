using System.Text.Json.Serialization;

namespace Spiro.Protocol.Plans;

/// <summary>
/// The diff of two releases of one saltenv, as <c>spiro diff</c>, the v1 API, the dashboard and a
/// plan give it (docs/api.md "Release diff").
/// </summary>
/// <param name="SaltEnv">The saltenv.</param>
/// <param name="From">The older release id; null when there is none (every file is added).</param>
/// <param name="To">The newer release id (a plan's candidate for a plan).</param>
/// <param name="Added">How many files are added.</param>
/// <param name="Removed">How many files are removed.</param>
/// <param name="Changed">How many files changed (content or mode).</param>
/// <param name="Files">Every differing file, ordered by path.</param>
/// <param name="TopBefore">The older release's top file (the generated <c>top.sls</c>), or null when it has none; cut at the text limit.</param>
/// <param name="TopAfter">The newer release's top file, or null.</param>
public sealed record ReleaseDiff(
    [property: JsonPropertyName("saltenv")] string SaltEnv,
    [property: JsonPropertyName("from"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("removed")] int Removed,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("files")] IReadOnlyList<DiffFile> Files,
    [property: JsonPropertyName("top_before"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TopBefore,
    [property: JsonPropertyName("top_after"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TopAfter);
