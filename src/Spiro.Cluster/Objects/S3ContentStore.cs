using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Spiro.Core.Releases.Objects;

namespace Spiro.Cluster.Objects;

/// <summary>
/// Release content in an S3-compatible bucket, one object per sha256 under
/// <c>&lt;prefix&gt;&lt;aa&gt;/&lt;sha256&gt;</c>. Writes are plain PUTs with <c>If-None-Match: *</c>,
/// so an existing object is never overwritten (Ceph RGW ignores the condition on a multipart
/// complete, hence no multipart). Fetched bytes are hashed and refused when they do not match
/// their key: a master never serves content it did not verify.
/// </summary>
public sealed class S3ContentStore : IContentStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3ContentOptions _options;

    /// <summary>A client for <paramref name="options"/> (validated by the caller).</summary>
    public S3ContentStore(S3ContentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            // The SDK's default (a CRC on every upload) makes RGW answer XAmzContentSHA256Mismatch.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 2,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <inheritdoc/>
    public string Location => $"s3://{_options.Bucket}/{_options.Prefix} at {_options.Endpoint?.ToString() ?? "AWS " + _options.Region}";

    /// <summary>
    /// Which bucket and prefix at which endpoint this is, as <c>cluster_objects</c> keys its rows:
    /// what the cluster recorded about one store says nothing about another.
    /// </summary>
    public string Identity => $"{_options.Endpoint?.ToString() ?? "aws:" + _options.Region}|{_options.Bucket}|{_options.Prefix}";

    /// <summary>How many objects to move at once (<see cref="S3ContentOptions.Parallelism"/>).</summary>
    public int Parallelism => _options.Parallelism;

    /// <summary>Creates the bucket when it does not exist.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Another master made it first.
        }
    }

    /// <inheritdoc/>
    public async Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_options.Bucket, Key(sha256), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> PutAsync(string sha256, string sourceFile, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = Key(sha256),
            FilePath = sourceFile,
            IfNoneMatch = "*",
            DisablePayloadSigning = false,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // Someone stored this content first.
                return false;
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.Conflict && attempt < ConflictAttempts)
            {
                // Another writer's conditional PUT of this key is in flight; it may still fail, so
                // this is no proof the key will exist: once it ends, the key exists (412) or is free.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A key another writer holds this long (1.5 s in all) is reported as the store's error.
    private const int ConflictAttempts = 6;

    /// <summary>
    /// Overwrites the object <paramref name="sha256"/> with <paramref name="sourceFile"/> (a plain PUT,
    /// no condition): the one exception to put-once, for replacing an object whose bytes in the
    /// bucket do not hash to its key (<see cref="ObjectRepair"/>). The caller has checked that
    /// <paramref name="sourceFile"/> hashes to <paramref name="sha256"/>, so the key ends up naming its bytes.
    /// </summary>
    public async Task ReplaceAsync(string sha256, string sourceFile, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest { BucketName = _options.Bucket, Key = Key(sha256), FilePath = sourceFile, DisablePayloadSigning = false };
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> TryFetchAsync(string sha256, string destinationFile, CancellationToken cancellationToken)
    {
        using var response = await GetOrNullAsync(sha256, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }

        bool matches;
        await using (var output = new FileStream(destinationFile, FileMode.CreateNew, FileAccess.Write))
        {
            (_, matches) = await ReadHashedAsync(response, sha256, output, cancellationToken).ConfigureAwait(false);
        }

        if (!matches)
        {
            File.Delete(destinationFile);
            throw new InvalidDataException($"object {sha256} in {Location} does not hash to its key: refusing it");
        }

        return true;
    }

    /// <summary>
    /// Reads the object <paramref name="sha256"/> and hashes it as a fetch does, keeping nothing:
    /// its size when its bytes hash to its key, null when there is no such object.
    /// </summary>
    /// <exception cref="InvalidDataException">Its bytes do not hash to its key.</exception>
    public async Task<long?> CheckAsync(string sha256, CancellationToken cancellationToken)
    {
        using var response = await GetOrNullAsync(sha256, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        var (size, matches) = await ReadHashedAsync(response, sha256, copy: null, cancellationToken).ConfigureAwait(false);
        return matches ? size : throw new InvalidDataException($"object {sha256} in {Location} does not hash to its key");
    }

    private async Task<GetObjectResponse?> GetOrNullAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(_options.Bucket, Key(sha256), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>An object's bytes read to the end and hashed (and written to <paramref name="copy"/> when given): their size, and whether they hash to <paramref name="sha256"/>.</summary>
    private static async Task<(long Size, bool Matches)> ReadHashedAsync(GetObjectResponse response, string sha256, Stream? copy, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            if (copy is not null)
            {
                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            size += read;
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()) == sha256);
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private string Key(string sha256) => $"{_options.Prefix}{ContentKey.Check(sha256)[..2]}/{sha256}";
}
