using Microsoft.AspNetCore.Http;
using Spiro.Core.Releases;
using Spiro.Protocol.Events;

namespace Spiro.Server.Deploys;

/// <summary>How the publish phase of a deploy ended; endpoints map it to a status code or events.</summary>
internal abstract record DeployPublishOutcome
{
    private DeployPublishOutcome()
    {
    }

    /// <summary>
    /// For an outcome that did not go live, how the deploy ends: its final status, the HTTP status the
    /// uploader gets, and the one message both the event log and the response show. Null for <see cref="Published"/>.
    /// </summary>
    public DeployRefusal? Refusal => this switch
    {
        Rejected r => new(DeployStatus.Rejected, StatusCodes.Status400BadRequest, $"Bundle rejected: {r.Message}"),
        Locked l => new(DeployStatus.Locked, StatusCodes.Status409Conflict, l.Message),
        TooLarge t => new(DeployStatus.TooLarge, StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {t.Limit} bytes (max_body_size)"),
        TooSlow s => new(DeployStatus.Failed, StatusCodes.Status408RequestTimeout, s.Message),
        Failed f => new(DeployStatus.Failed, StatusCodes.Status500InternalServerError, f.Message),
        _ => null,
    };

    /// <summary>Live; a highstate may follow in the background.</summary>
    public sealed record Published(ReleaseInfo Release) : DeployPublishOutcome;

    /// <summary>Bundle or spirotop refused: 400.</summary>
    public sealed record Rejected(string Rule, string Message) : DeployPublishOutcome;

    /// <summary>Another process kept the saltenv's lock: 409.</summary>
    public sealed record Locked(string Message) : DeployPublishOutcome;

    /// <summary>Body over max_body_size: 413.</summary>
    public sealed record TooLarge(long Limit) : DeployPublishOutcome;

    /// <summary>The client sent slower than min_request_body_rate after the grace period: 408.</summary>
    public sealed record TooSlow(string Message) : DeployPublishOutcome;

    /// <summary>Client went away, server stopping, or an unexpected error: 500 if anyone still listens.</summary>
    public sealed record Failed(string Message) : DeployPublishOutcome;
}
