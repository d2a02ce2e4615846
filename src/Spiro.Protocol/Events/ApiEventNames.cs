namespace Spiro.Protocol.Events;

/// <summary>
/// Extra SSE events of the v1 API (docs/api.md). The compatible endpoint never sends them, so
/// original clients only ever see <see cref="DeployEventNames"/>.
/// </summary>
public static class ApiEventNames
{
    /// <summary>First event of a deploy; data has <c>deploy_id</c> and <c>saltenv</c>.</summary>
    public const string DeployStart = "deploy-start";

    /// <summary>Progress while waiting or working, e.g. waiting for the saltenv's lock or a deploy slot.</summary>
    public const string DeployProgress = "deploy-progress";

    /// <summary>Last event of a deploy; data has <c>status</c> and <c>release</c>.</summary>
    public const string DeployFinish = "deploy-finish";
}
