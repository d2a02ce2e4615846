using Spiro.Core.Releases;

namespace Spiro.Server.Deploys;

/// <summary>How the publish phase of a deploy ended; endpoints map it to a status code or events.</summary>
internal abstract record DeployPublishOutcome
{
    private DeployPublishOutcome()
    {
    }

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
