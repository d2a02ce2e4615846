namespace Spiro.Deploy.Transport;

/// <summary>Building the bundle failed (a file could not be read), as opposed to sending it.</summary>
internal sealed class BundleBuildException : Exception
{
    public BundleBuildException()
    {
    }

    public BundleBuildException(string message)
        : base(message)
    {
    }

    public BundleBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Runs the builder; failures not caused by the network become <see cref="BundleBuildException"/>.</summary>
    public static async Task GuardAsync(CountingStream counting, Func<Task> build)
    {
        try
        {
            await build();
        }
        catch (Exception e) when (!counting.InnerFailed && e is not OperationCanceledException)
        {
            throw new BundleBuildException($"building the bundle failed: {e.Message}", e);
        }
    }
}
