namespace Spiro.Server;

/// <summary>The server cannot start with its configuration; the message names the key or file to fix.</summary>
public sealed class ServerStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServerStartupException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ServerStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
