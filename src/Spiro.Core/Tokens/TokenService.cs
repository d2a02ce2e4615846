using Spiro.Core.Metadata;

namespace Spiro.Core.Tokens;

/// <summary>
/// Authenticates presented tokens: lookup (always from SQLite), the pure decision, the audit row
/// (actor = token id and label, never the secret) and <c>last_used</c>.
/// </summary>
public sealed class TokenService(TokenStore store, AuditLog audit, TimeProvider time)
{
    /// <summary>The store behind this service.</summary>
    public TokenStore Store { get; } = store;

    /// <summary>Checks <paramref name="presented"/> (null: none sent) for <paramref name="requirement"/> and audits the use.</summary>
    /// <param name="presented">The token string as sent.</param>
    /// <param name="requirement">What the request needs.</param>
    /// <param name="action">Audit action, e.g. <c>deploy</c>, <c>auth</c>, <c>rollback</c>.</param>
    /// <param name="target">Audit target, e.g. a saltenv.</param>
    public AuthDecision Authenticate(string? presented, TokenRequirement requirement, string action, string target)
    {
        AuthDecision decision;
        if (presented is null)
        {
            decision = new AuthDecision.Unauthenticated(null, "no token");
        }
        else if (!TokenSecret.IsWellFormed(presented))
        {
            decision = new AuthDecision.Unauthenticated(null, "malformed token");
        }
        else
        {
            decision = TokenAuthorizer.Decide(Store.FindByToken(presented), time.GetUtcNow(), requirement);
        }

        Record(decision, action, target);
        return decision;
    }

    private void Record(AuthDecision decision, string action, string target)
    {
        switch (decision)
        {
            case AuthDecision.Allowed allowed:
                Store.MarkUsed(allowed.Token.Id);
                audit.Append(allowed.Token.Actor, action, target, "ok", "token accepted");
                break;
            case AuthDecision.Unauthenticated refused:
                audit.Append(refused.Token?.Actor ?? "anonymous", action, target, "refused", refused.Reason);
                break;
            case AuthDecision.Forbidden forbidden:
                audit.Append(forbidden.Token.Actor, action, target, "refused", forbidden.Reason);
                break;
        }
    }
}
