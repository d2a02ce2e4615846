namespace Spiro.Core.Tokens;

/// <summary>A stored token: everything but the secret, which only exists as <see cref="Hash"/>.</summary>
/// <param name="Id">Public id (16 lower-case hex), safe to log and to show.</param>
/// <param name="Label">Free text naming the holder, e.g. the CI pipeline.</param>
/// <param name="Hash">Lower-case hex sha256 of the token string.</param>
/// <param name="Scope">Projects, deployments and admin flag.</param>
/// <param name="Created">When it was issued.</param>
/// <param name="NotBefore">Not valid before this instant, when set.</param>
/// <param name="Expires">Not valid from this instant on, when set.</param>
/// <param name="Revoked">When it was revoked, if it was.</param>
/// <param name="LastUsed">Last accepted use.</param>
public sealed record TokenRecord(
    string Id,
    string Label,
    string Hash,
    TokenScope Scope,
    DateTimeOffset Created,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires,
    DateTimeOffset? Revoked,
    DateTimeOffset? LastUsed)
{
    /// <summary>How the token appears in the audit log and release history: id and label, never the secret.</summary>
    public string Actor => string.IsNullOrEmpty(Label) ? $"token:{Id}" : $"token:{Id} ({Label})";
}
