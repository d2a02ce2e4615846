using Amazon.Runtime;
using Spiro.Cluster.Metadata;
using Spiro.Cluster.Objects;
using Spiro.Core.Releases.Sharing;

namespace Spiro.Cluster.Sharing;

/// <summary>
/// A change's upload of its contents to the bucket, before anything refers to them (docs/cluster.md,
/// "Cost"). Contents recorded for this store (<see cref="RecordedObjects"/>) are skipped: each was
/// in the bucket when it was recorded, and a master that finds one missing strikes it. The rest
/// are sent: a small one straight away as a conditional PUT (<c>If-None-Match: *</c> refuses a key
/// that exists, so asking first would only add a round trip per new object), a large one only after
/// a HEAD says the bucket lacks it (a refused PUT would have sent its bytes for nothing). A refused
/// small PUT is read back and hashed before it counts: a key holding other bytes fails the change
/// before its pointer moves. Then all of them are recorded.
/// </summary>
internal sealed class ClusterUpload(PostgresMetadataDatabase database, S3ContentStore content)
{
    /// <summary>Contents of at least this many bytes are asked about (HEAD) before they are sent.</summary>
    public const long AskFirstFrom = 1 << 20;

    public async Task RunAsync(IReadOnlyList<SharedContent> objects, CancellationToken cancellationToken)
    {
        var recorded = new RecordedObjects(database, content);
        var known = await recorded.KnownAsync([.. objects.Select(o => o.Sha256)], cancellationToken).ConfigureAwait(false);
        var missing = objects.Where(o => !known.Contains(o.Sha256)).DistinctBy(o => o.Sha256, StringComparer.Ordinal).ToList();
        try
        {
            // Inside the try: a staged file that cannot be read is the upload's error, named, not a crash.
            var large = missing.Where(o => new FileInfo(o.File).Length >= AskFirstFrom).ToList();
            var small = missing.Except(large).ToList();
            await Parallel.ForEachAsync(small, Options(SmallParallelism(content.Parallelism), cancellationToken), async (item, token) =>
            {
                if (!await content.PutAsync(item.Sha256, item.File, token).ConfigureAwait(false))
                {
                    await CheckExistingAsync(item.Sha256, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            await Parallel.ForEachAsync(large, Options(content.Parallelism, cancellationToken), async (item, token) =>
            {
                if (!await content.ContainsAsync(item.Sha256, token).ConfigureAwait(false))
                {
                    await content.PutAsync(item.Sha256, item.File, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            throw new ClusterUnavailableException($"cluster.objects: cannot store the release's content in {content.Location}: {exception.Message}", exception);
        }

        await recorded.RecordAsync([.. missing.Select(o => o.Sha256)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How many small contents go at once: they mostly wait on the gateway, so twice
    /// <paramref name="parallelism"/>, except at 1, which stays one request at a time.
    /// </summary>
    public static int SmallParallelism(int parallelism) =>
        parallelism <= 1 ? 1 : Math.Min(2 * parallelism, S3ContentOptions.MaxParallelism);

    // The bucket refused the PUT (412): the key exists. It counts only when its bytes are the
    // content, else every follower would refuse the release this change is about to publish.
    private async Task CheckExistingAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            _ = await content.CheckAsync(sha256, cancellationToken).ConfigureAwait(false)
                ?? throw new IOException($"object {sha256} was refused as existing, then not found");
        }
        catch (InvalidDataException)
        {
            throw new ClusterUnavailableException(
                $"cluster.objects: object {sha256} in {content.Location} does not hash to its key, so no master could serve this release: " +
                $"run 'spiro cluster repair --config FILE --data DIR {sha256}' on a master holding it");
        }
    }

    private static ParallelOptions Options(int parallelism, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
}
