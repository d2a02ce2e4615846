using Microsoft.AspNetCore.Http;
using Spiro.Core.Tokens;

namespace Spiro.Dashboard.Sessions;

/// <summary>Maps a request's session cookie to the <see cref="Viewer"/>, re-reading the token each time so a revoked token's sessions end at once.</summary>
internal sealed class ViewerResolver(SessionStore sessions, TokenService tokens)
{
    public Viewer? Resolve(HttpRequest request)
    {
        var cookie = SessionCookie.Read(request);
        if (sessions.Find(cookie) is not { } session)
        {
            return null;
        }

        if (tokens.DecideById(session.TokenId, TokenRequirement.AnyValid) is not AuthDecision.Allowed allowed)
        {
            sessions.Remove(cookie);
            return null;
        }

        return new Viewer(allowed.Token, session);
    }
}
