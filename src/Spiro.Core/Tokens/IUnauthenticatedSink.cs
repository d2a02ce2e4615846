namespace Spiro.Core.Tokens;

/// <summary>
/// Where refusals before authentication go instead of the audit log (no token, a malformed or
/// unknown one, a revoked or expired one): anyone can send them, so a row each would let an
/// anonymous client grow the store without bound. The server counts and logs them, rate-limited.
/// </summary>
public interface IUnauthenticatedSink
{
    /// <summary>One refused request: the audit action it asked for, the reason, and the token's actor when the token is known.</summary>
    void Refused(string action, string reason, string? actor);
}
