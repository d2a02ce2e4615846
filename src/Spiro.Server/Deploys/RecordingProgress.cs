namespace Spiro.Server.Deploys;

/// <summary>
/// Synchronous <see cref="IProgress{T}"/>: unlike <see cref="Progress{T}"/> it does not post to a
/// thread pool, so progress events keep their order relative to the events around them.
/// </summary>
internal sealed class RecordingProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
