using System.Security.Cryptography;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cluster.Objects;

/// <summary>What <see cref="ObjectRepair.RepairAsync"/> did with one object.</summary>
public enum RepairOutcome
{
    /// <summary>The bucket's copy was missing or did not hash to its key; it now holds this master's verified bytes.</summary>
    Replaced,

    /// <summary>The bucket's copy hashes to its key: nothing was written.</summary>
    AlreadyGood,

    /// <summary>This master has no copy of the content (run it on a master that has: the one that published the release).</summary>
    NoLocalCopy,

    /// <summary>This master's own copy does not hash to its key either: nothing was written.</summary>
    LocalCopyDamaged,
}

/// <summary>
/// Puts right an object of the bucket whose bytes do not hash to its key (docs/cluster.md): the
/// followers refuse it and a deploy does not replace it (writes are put-once), so a master that
/// has the content in its <c>objects/</c> checks its own copy, overwrites the bucket's and
/// reads it back through the same check the followers make.
/// </summary>
public static class ObjectRepair
{
    // A data directory keeps a content as a plain and/or an executable object (docs/storage.md); both hold the same bytes.
    private static readonly string[] ObjectSuffixes = ["", ".x"];

    /// <summary>Repairs <paramref name="sha256"/> in <paramref name="bucket"/> from the data directory's objects at <paramref name="objectsDirectory"/>.</summary>
    public static async Task<RepairOutcome> RepairAsync(S3ContentStore bucket, string objectsDirectory, string sha256, string scratchDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ContentKey.Check(sha256);
        var check = Path.Combine(scratchDirectory, $".repair-{sha256}-{Guid.NewGuid():N}");
        try
        {
            if (await IsGoodAsync(bucket, sha256, check, cancellationToken).ConfigureAwait(false))
            {
                return RepairOutcome.AlreadyGood;
            }

            var local = ObjectSuffixes.Select(suffix => Path.Combine(objectsDirectory, sha256[..2], sha256 + suffix)).FirstOrDefault(File.Exists);
            if (local is null)
            {
                return RepairOutcome.NoLocalCopy;
            }

            if (await HashOfAsync(local, cancellationToken).ConfigureAwait(false) != sha256)
            {
                return RepairOutcome.LocalCopyDamaged;
            }

            await bucket.ReplaceAsync(sha256, local, cancellationToken).ConfigureAwait(false);
            return await IsGoodAsync(bucket, sha256, check, cancellationToken).ConfigureAwait(false)
                ? RepairOutcome.Replaced
                : throw new InvalidDataException($"object {sha256} in {bucket.Location} still does not hash to its key after it was replaced");
        }
        finally
        {
            File.Delete(check);
        }
    }

    // Fetched through the followers' own check: false when missing or when its bytes do not hash to the key.
    private static async Task<bool> IsGoodAsync(S3ContentStore bucket, string sha256, string scratch, CancellationToken cancellationToken)
    {
        File.Delete(scratch);
        try
        {
            return await bucket.TryFetchAsync(sha256, scratch, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static async Task<string> HashOfAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
