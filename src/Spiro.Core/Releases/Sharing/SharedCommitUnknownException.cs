namespace Spiro.Core.Releases.Sharing;

/// <summary>A change's commit failed and whether the cluster recorded it could not be read back (<see cref="SharedCommit"/>).</summary>
public sealed class SharedCommitUnknownException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SharedCommitUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SharedCommitUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SharedCommitUnknownException()
    {
    }
}
