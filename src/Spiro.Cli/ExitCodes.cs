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
}
