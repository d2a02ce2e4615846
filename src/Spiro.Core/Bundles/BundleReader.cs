namespace Spiro.Core.Bundles;

/// <summary>
/// Streams an untrusted tar (plain, gzip or zstd, detected by magic bytes) into a staging
/// directory, enforcing every safety rule and limit, and records the manifest as it goes.
/// </summary>
public sealed class BundleReader(BundleLimits limits)
{
    /// <summary>The limits this reader enforces.</summary>
    public BundleLimits Limits { get; } = limits;

    /// <summary>
    /// Extracts <paramref name="input"/> into <paramref name="stagingDirectory"/> (created if missing).
    /// On rejection the staging directory is deleted and nothing outside it was written.
    /// </summary>
    public Task<BundleReadResult> ExtractAsync(Stream input, string stagingDirectory, CancellationToken cancellationToken)
    {
        // TODO(#2): replaced by the streaming implementation in the foundation work.
        throw new NotImplementedException();
    }
}
