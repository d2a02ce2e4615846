using Microsoft.AspNetCore.Http;
using Spiro.Core.Names;
using Spiro.Core.Tokens;

namespace Spiro.Server.Auth;

/// <summary>
/// What one request needs of its token, worked out from the route and query before the handler runs
/// (<see cref="Needs"/>): the scope, the audit target, and why it is refused anyway, if it is.
/// </summary>
/// <param name="Requirement">What the token must cover.</param>
/// <param name="Target">The audit row's target (<c>P/D</c>, or <c>-</c>).</param>
/// <param name="SaltEnv">The saltenv the handler acts on, once its name is valid.</param>
internal sealed record AccessNeed(TokenRequirement Requirement, string Target, SaltEnvName? SaltEnv = null)
{
    /// <summary>A reason to refuse even a good token (audited as refused): a bad name or flag, too large, shutting down.</summary>
    public string? Refusal { get; init; }

    /// <summary>The status of <see cref="Refusal"/>.</summary>
    public int RefusalStatus { get; init; } = StatusCodes.Status400BadRequest;

    /// <summary>Several saltenvs at once (a promotion): one audit row, <c>ok</c> only when all pass.</summary>
    public IReadOnlyList<(string Target, TokenRequirement Requirement)>? All { get; init; }

    /// <summary>The record the route names (a deploy, a plan), found while working out the need.</summary>
    public object? Found { get; init; }

    /// <summary>When the route names a record that does not exist: 404 to any valid token (audited as ok).</summary>
    public string? Missing { get; init; }

    /// <summary>Any valid token, no saltenv.</summary>
    public static AccessNeed AnyToken { get; } = new(TokenRequirement.AnyValid, "-");

    /// <summary>Any valid token, refused anyway for <paramref name="reason"/> (status <paramref name="status"/>).</summary>
    public static AccessNeed Refused(string reason, int status = StatusCodes.Status400BadRequest) =>
        AnyToken with { Refusal = reason, RefusalStatus = status };
}
