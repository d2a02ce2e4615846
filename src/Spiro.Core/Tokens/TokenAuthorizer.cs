namespace Spiro.Core.Tokens;

/// <summary>The authorization decision as a pure function of the stored token, the clock and the request.</summary>
public static class TokenAuthorizer
{
    /// <summary>Decides whether <paramref name="token"/> (null: no stored token matched) may do <paramref name="requirement"/> at <paramref name="now"/>.</summary>
    public static AuthDecision Decide(TokenRecord? token, DateTimeOffset now, TokenRequirement requirement)
    {
        if (token is null)
        {
            return new AuthDecision.Unauthenticated(null, "unknown token");
        }

        if (token.Revoked is { } revoked)
        {
            return new AuthDecision.Unauthenticated(token, $"token {token.Id} was revoked at {revoked:u}");
        }

        if (token.NotBefore is { } notBefore && now < notBefore)
        {
            return new AuthDecision.Unauthenticated(token, $"token {token.Id} is not valid before {notBefore:u}");
        }

        if (token.Expires is { } expires && now >= expires)
        {
            return new AuthDecision.Unauthenticated(token, $"token {token.Id} expired at {expires:u}");
        }

        if (requirement.Project is { } project && !token.Scope.Covers(project, requirement.Deployment))
        {
            var target = requirement.Deployment is null ? project : $"{project}/{requirement.Deployment}";
            return new AuthDecision.Forbidden(token, $"token {token.Id} is not valid for {target}");
        }

        if (requirement.Root && !(token.Scope.AllProjects && token.Scope.Admin))
        {
            return new AuthDecision.Forbidden(token, $"token {token.Id} is not a root token");
        }

        if (requirement.Admin && !token.Scope.Admin)
        {
            return new AuthDecision.Forbidden(token, $"token {token.Id} lacks the admin scope");
        }

        return new AuthDecision.Allowed(token);
    }
}
