namespace Spiro.Core.Bundles;

/// <summary>
/// Streams an untrusted tar (plain, gzip or zstd, detected by magic bytes) into a staging
/// directory, enforcing every safety rule and limit, and records the manifest as it goes.
/// </summary>
public sealed class BundleReader
{
    private readonly IKnownContent? _knownContent;

    /// <summary>A reader with <paramref name="limits"/> that writes every file itself.</summary>
    public BundleReader(BundleLimits limits)
        : this(limits, null)
    {
    }

    /// <summary>A reader that links files whose content <paramref name="knownContent"/> holds (the store's objects) instead of writing them.</summary>
    internal BundleReader(BundleLimits limits, IKnownContent? knownContent)
    {
        Limits = limits;
        _knownContent = knownContent;
    }

    /// <summary>A reader with the default limits.</summary>
    public BundleReader()
        : this(new BundleLimits(), null)
    {
    }

    /// <summary>
    /// Honour <see cref="ContentReference"/> entries (link the named object instead of reading
    /// bytes). Only for tars the store wrote itself; never for a client's bundle.
    /// </summary>
    internal bool TrustContentReferences { get; init; }

    /// <summary>The limits this reader enforces.</summary>
    public BundleLimits Limits { get; }

    /// <summary>
    /// Extracts <paramref name="input"/> into <paramref name="stagingDirectory"/> (created if missing,
    /// must be empty). On rejection the staging directory is deleted and nothing outside it was written.
    /// Files are written read-only (0444, or 0555 when the entry had an exec bit); directories stay
    /// writable so the store can add the top file and move files. The input is read, never disposed.
    /// With an <see cref="IKnownContent"/>, files up to 4 MiB are
    /// hashed in memory first and linked from known content when it has them, so their bytes are not written.
    /// </summary>
    public async Task<BundleReadResult> ExtractAsync(Stream input, string stagingDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stagingDirectory));
        if (Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any())
        {
            throw new ArgumentException($"staging directory '{staging}' is not empty", nameof(stagingDirectory));
        }

        Directory.CreateDirectory(staging);
        BundleReadResult result;
        try
        {
            result = await new BundleExtraction(Limits, staging, _knownContent, TrustContentReferences).RunAsync(input, cancellationToken);
        }
        catch
        {
            DeleteStaging(staging);
            throw;
        }

        if (result is BundleReadResult.Rejected)
        {
            DeleteStaging(staging);
        }

        return result;
    }

    // Files are read-only but directories stay writable, so a recursive delete works.
    private static void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
