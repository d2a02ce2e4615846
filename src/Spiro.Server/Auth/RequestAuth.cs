using Microsoft.AspNetCore.Http;
using Spiro.Core.Tokens;
using Spiro.Server.Endpoints;

namespace Spiro.Server.Auth;

/// <summary>Maps a request's bearer token and a requirement to the token or a 401/403 result.</summary>
internal sealed class RequestAuth(TokenService tokens)
{
    public const string Challenge = "Bearer";

    /// <summary>The token when allowed; otherwise <paramref name="failure"/> is the response to send.</summary>
    public TokenRecord? Check(HttpRequest request, TokenRequirement requirement, string action, string target, bool json, out IResult? failure)
    {
        var presented = BearerToken.From(request.Headers.Authorization);
        var decision = tokens.Authenticate(presented, requirement, action, target);
        failure = decision switch
        {
            AuthDecision.Allowed => null,
            AuthDecision.Unauthenticated u => new ChallengeResult(u.Reason, StatusCodes.Status401Unauthorized, json),
            AuthDecision.Forbidden f => new ChallengeResult(f.Reason, StatusCodes.Status403Forbidden, json),
            _ => new ChallengeResult("refused", StatusCodes.Status401Unauthorized, json),
        };
        return (decision as AuthDecision.Allowed)?.Token;
    }

    /// <summary>Whether the request carries something shaped like a token at all (cheap, before reading a body).</summary>
    public static bool HasWellFormedToken(HttpRequest request) => TokenSecret.IsWellFormed(BearerToken.From(request.Headers.Authorization));

    private sealed class ChallengeResult(string reason, int status, bool json) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (status == StatusCodes.Status401Unauthorized)
            {
                httpContext.Response.Headers.WWWAuthenticate = Challenge;
            }

            return (json ? ApiResults.Error(status, reason) : Results.Text(reason + "\n", "text/plain", statusCode: status)).ExecuteAsync(httpContext);
        }
    }
}
