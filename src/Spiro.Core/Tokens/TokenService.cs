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
    /// <param name="refusal">
    /// When the request is refused for another reason even if the token is good (body too large,
    /// bad parameters), that reason: an allowed token is then audited as <c>refused</c> with it, so
    /// no <c>ok</c> row stands for a request that did nothing.
    /// </param>
    public AuthDecision Authenticate(string? presented, TokenRequirement requirement, string action, string target, string? refusal = null)
    {
        var decision = Decide(presented, requirement);
        Record(decision, action, target, refusal);
        return decision;
    }

    /// <summary>
    /// Checks <paramref name="presented"/> for every one of <paramref name="needs"/> (promote reads
    /// one saltenv and writes another) before auditing anything, so one row records the outcome:
    /// <c>refused</c> for the first need not met (with that need's target), or a single <c>ok</c>
    /// for <paramref name="target"/>. An <c>ok</c> row never stands for a request refused later.
    /// </summary>
    /// <param name="presented">The token string as sent.</param>
    /// <param name="needs">Each audit target with what the request needs there, checked in order.</param>
    /// <param name="action">Audit action, e.g. <c>promote</c>.</param>
    /// <param name="target">Audit target of the <c>ok</c> row.</param>
    public AuthDecision AuthenticateAll(string? presented, IReadOnlyList<(string Target, TokenRequirement Requirement)> needs, string action, string target) =>
        AuthenticateAll(requirement => Decide(presented, requirement), needs, action, target);

    /// <summary>As <see cref="AuthenticateAll(string?, IReadOnlyList{ValueTuple{string, TokenRequirement}}, string, string)"/> for a token known by its public id (a dashboard session).</summary>
    public AuthDecision AuthenticateAllById(string tokenId, IReadOnlyList<(string Target, TokenRequirement Requirement)> needs, string action, string target) =>
        AuthenticateAll(requirement => DecideById(tokenId, requirement), needs, action, target);

    private AuthDecision AuthenticateAll(Func<TokenRequirement, AuthDecision> decide, IReadOnlyList<(string Target, TokenRequirement Requirement)> needs, string action, string target)
    {
        ArgumentNullException.ThrowIfNull(needs);
        AuthDecision decision = new AuthDecision.Unauthenticated(null, "no requirement");
        foreach (var need in needs)
        {
            decision = decide(need.Requirement);
            if (decision is not AuthDecision.Allowed)
            {
                Record(decision, action, need.Target, null);
                return decision;
            }
        }

        Record(decision, action, target, null);
        return decision;
    }

    /// <summary>
    /// As <see cref="Authenticate"/> for a token already identified by its public id (a dashboard
    /// session keeps the id, never the secret): the stored record is read again, so a revocation or
    /// expiry takes effect on the next request, and the use is audited the same way.
    /// </summary>
    /// <param name="tokenId">Public id of the token the session was opened with.</param>
    /// <param name="requirement">What the request needs.</param>
    /// <param name="action">Audit action.</param>
    /// <param name="target">Audit target.</param>
    public AuthDecision AuthenticateById(string tokenId, TokenRequirement requirement, string action, string target)
    {
        var decision = TokenAuthorizer.Decide(Store.FindById(tokenId), time.GetUtcNow(), requirement);
        Record(decision, action, target, null);
        return decision;
    }

    /// <summary>The decision for a token identified by its id, without an audit row (page views, which would flood the log).</summary>
    public AuthDecision DecideById(string tokenId, TokenRequirement requirement) =>
        TokenAuthorizer.Decide(Store.FindById(tokenId), time.GetUtcNow(), requirement);

    private AuthDecision Decide(string? presented, TokenRequirement requirement)
    {
        if (presented is null)
        {
            return new AuthDecision.Unauthenticated(null, "no token");
        }

        return TokenSecret.IsWellFormed(presented)
            ? TokenAuthorizer.Decide(Store.FindByToken(presented), time.GetUtcNow(), requirement)
            : new AuthDecision.Unauthenticated(null, "malformed token");
    }

    /// <summary>
    /// Checks only that <paramref name="presented"/> is a valid token (known, not revoked, in its
    /// lifespan), before a request body is read. Refusals are audited; an accepted token is not, because
    /// the request's scoped <see cref="Authenticate"/> that follows audits the outcome.
    /// </summary>
    public AuthDecision Identify(string? presented, string action, string target)
    {
        var decision = presented is null || !TokenSecret.IsWellFormed(presented)
            ? new AuthDecision.Unauthenticated(null, presented is null ? "no token" : "malformed token")
            : TokenAuthorizer.Decide(Store.FindByToken(presented), time.GetUtcNow(), TokenRequirement.AnyValid);
        if (decision is not AuthDecision.Allowed)
        {
            Record(decision, action, target, null);
        }

        return decision;
    }

    private void Record(AuthDecision decision, string action, string target, string? refusal)
    {
        switch (decision)
        {
            case AuthDecision.Allowed allowed when refusal is not null:
                Store.MarkUsed(allowed.Token.Id);
                audit.Append(allowed.Token.Actor, action, target, "refused", refusal);
                break;
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
