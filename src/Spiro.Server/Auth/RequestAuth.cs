using Microsoft.AspNetCore.Http;
using Spiro.Core.Tokens;
using Spiro.Server.Endpoints;

namespace Spiro.Server.Auth;

/// <summary>Maps a request's bearer token and a requirement to the token or a 401/403 result.</summary>
internal sealed class RequestAuth(TokenService tokens)
{
    public const string Challenge = "Bearer";

    /// <summary>
    /// The token when allowed; otherwise <paramref name="failure"/> is the response to send.
    /// <paramref name="refusal"/>: the reason the caller refuses the request anyway (audited as refused).
    /// </summary>
    public TokenRecord? Check(HttpRequest request, TokenRequirement requirement, string action, string target, bool json, out IResult? failure, string? refusal = null) =>
        Map(tokens.Authenticate(BearerToken.From(request.Headers.Authorization), requirement, action, target, refusal), json, out failure);

    /// <summary>Like <see cref="Check"/> for a request that needs several saltenvs: one audit row, <c>ok</c> only when all pass.</summary>
    public TokenRecord? CheckAll(HttpRequest request, IReadOnlyList<(string Target, TokenRequirement Requirement)> needs, string action, string target, bool json, out IResult? failure) =>
        Map(tokens.AuthenticateAll(BearerToken.From(request.Headers.Authorization), needs, action, target), json, out failure);

    /// <summary>
    /// Only a valid token (401 otherwise), checked before any body is read; the scope is checked
    /// (and the success audited) by a later <see cref="Check"/> once the body says what it needs.
    /// </summary>
    public TokenRecord? Identify(HttpRequest request, string action, bool json, out IResult? failure) =>
        Map(tokens.Identify(BearerToken.From(request.Headers.Authorization), action, "-"), json, out failure);

    private static TokenRecord? Map(AuthDecision decision, bool json, out IResult? failure)
    {
        failure = decision switch
        {
            AuthDecision.Allowed => null,
            AuthDecision.Unauthenticated u => new ChallengeResult(u.Reason, StatusCodes.Status401Unauthorized, json),
            AuthDecision.Forbidden f => new ChallengeResult(f.Reason, StatusCodes.Status403Forbidden, json),
            _ => new ChallengeResult("refused", StatusCodes.Status401Unauthorized, json),
        };
        return (decision as AuthDecision.Allowed)?.Token;
    }

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
