namespace Spiro.Cli;

/// <summary>Exit codes of <c>spiro</c>. Documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The input was processed and refused (bundle rejected, token invalid, verify failed).</summary>
    public const int Rejected = 1;

    /// <summary>Bad command line or names.</summary>
    public const int Usage = 2;

    /// <summary>The saltenv is locked by another process past the wait timeout.</summary>
    public const int Locked = 3;

    /// <summary>Something unexpected failed.</summary>
    public const int Failure = 4;

    /// <summary>
    /// In a cluster (<c>--config</c>): the change was made (the cluster's pointer moved), but a live
    /// master did not serve it within <c>cluster.apply_timeout</c>; the same code as
    /// <c>spiro-deploy</c> gives such a deploy.
    /// </summary>
    public const int NotEverywhere = 6;
}
