namespace Spiro.Cluster;

/// <summary>
/// A change lost its race with another master (it lost the cross-master lock and the pointer moved
/// on, docs/cluster.md): nothing of it was recorded and no live release changed. HTTP 409.
/// </summary>
public sealed class ClusterConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ClusterConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ClusterConflictException()
    {
    }
}
