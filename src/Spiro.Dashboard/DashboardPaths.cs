namespace Spiro.Dashboard;

/// <summary>The dashboard's addresses, in one place so pages and endpoints agree.</summary>
internal static class DashboardPaths
{
    public const string Root = "/ui";

    public const string Overview = "/ui/";

    public const string SignIn = "/ui/signin";

    public const string SignOut = "/ui/signout";

    public const string Tokens = "/ui/admin/tokens";

    public const string Audit = "/ui/admin/audit";

    public static string SaltEnv(string saltEnv) => $"/ui/saltenvs/{saltEnv}";

    public static string Release(string saltEnv, string releaseId) => $"/ui/saltenvs/{saltEnv}/releases/{releaseId}";

    public static string Action(string saltEnv, string action) => $"/ui/saltenvs/{saltEnv}/{action}";

    public static string Deploy(string deployId) => $"/ui/deploys/{deployId}";

    public static string DeployEvents(string deployId) => $"/ui/deploys/{deployId}/events";

    public static string Revoke(string tokenId) => $"/ui/admin/tokens/{tokenId}/revoke";

    public static string Asset(string name) => $"/ui/assets/{name}";
}
