using Spiro.Core.Names;
using Spiro.Core.Tokens;

namespace Spiro.Dashboard.Sessions;

/// <summary>Who is looking: the session's token as stored now (revocations and expiry already applied).</summary>
/// <param name="Token">The token record (no secret).</param>
/// <param name="Session">The session.</param>
internal sealed record Viewer(TokenRecord Token, DashboardSession Session)
{
    /// <summary>Whether the token's scope covers <paramref name="saltEnv"/>: what it may not see answers 404.</summary>
    public bool Sees(SaltEnvName saltEnv) => Token.Scope.Covers(saltEnv.Project, saltEnv.Deployment);

    /// <summary>Whether it may roll back, promote or delete <paramref name="saltEnv"/>.</summary>
    public bool AdminOn(SaltEnvName saltEnv) => Token.Scope.Admin && Sees(saltEnv);

    /// <summary>
    /// A root admin token (every project and deployment): only it sees the token list and the audit
    /// log, which name every project.
    /// </summary>
    public bool IsRootAdmin => Token.Scope.Admin && Token.Scope.AllProjects && Token.Scope.Deployments.Count == 0;
}
