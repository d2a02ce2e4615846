namespace Spiro.Core.Highstate;

/// <summary>
/// Runs the <c>salt</c> command. The one seam between SpiroFS and Salt: the real implementation
/// lives in Spiro.Salt, tests use a fake <c>salt</c> executable or an in-memory fake.
/// </summary>
public interface ISaltClient
{
    /// <summary>
    /// Runs salt with <paramref name="arguments"/> (the implementation adds its own config options such
    /// as <c>-c DIR</c>) and yields each stdout line as it arrives, then exactly one final
    /// <see cref="SaltOutput.Exited"/> or <see cref="SaltOutput.Unavailable"/>. Expected failures are
    /// values, not exceptions; cancelling kills the process.
    /// </summary>
    IAsyncEnumerable<SaltOutput> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
