namespace Spiro.Protocol.Events;

/// <summary>A deploy's status: the <c>status</c> of <c>deploy-finish</c> and of <c>GET /api/v1/deploys/{id}</c>.</summary>
public static class DeployStatus
{
    /// <summary>Not finished yet.</summary>
    public const string Running = "running";

    /// <summary>Published (and highstated, when asked; minion results are in the events, not the status).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The upload or the highstate failed on the server.</summary>
    public const string Failed = "failed";

    /// <summary>The bundle or its spirotop was refused.</summary>
    public const string Rejected = "rejected";

    /// <summary>The body exceeded <c>max_body_size</c>.</summary>
    public const string TooLarge = "too-large";

    /// <summary>Another process kept the saltenv's lock.</summary>
    public const string Locked = "locked";

    /// <summary>The server stopped before the deploy finished.</summary>
    public const string Abandoned = "abandoned";
}
