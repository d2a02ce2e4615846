namespace Spiro.Core.Tokens;

/// <summary>The outcome of checking a presented token against what a request needs.</summary>
public abstract record AuthDecision
{
    private AuthDecision()
    {
    }

    /// <summary>The token is valid and covers the request.</summary>
    public sealed record Allowed(TokenRecord Token) : AuthDecision;

    /// <summary>No usable token (missing, malformed, unknown, expired, not yet valid, revoked): HTTP 401.</summary>
    /// <param name="Token">The stored token when one matched, for the audit actor.</param>
    /// <param name="Reason">Why, safe to show to the client.</param>
    public sealed record Unauthenticated(TokenRecord? Token, string Reason) : AuthDecision;

    /// <summary>A valid token that does not cover the request: HTTP 403.</summary>
    public sealed record Forbidden(TokenRecord Token, string Reason) : AuthDecision;
}
