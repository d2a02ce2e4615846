namespace Spiro.Cluster.Objects;

/// <summary>The <c>cluster.objects</c> section: an S3-compatible bucket shared by every master (docs/cluster.md).</summary>
public sealed record S3ContentOptions
{
    /// <summary><c>endpoint</c>: the S3 URL (Ceph RGW, MinIO); unset: AWS S3 in <see cref="Region"/>.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary><c>bucket</c>: the bucket; created when missing.</summary>
    public string Bucket { get; init; } = "";

    /// <summary><c>region</c>: the signing region. Default us-east-1 (what RGW and MinIO accept).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary><c>access_key</c>.</summary>
    public string AccessKey { get; init; } = "";

    /// <summary><c>secret_key</c>, or read from <c>secret_key_file</c> (never logged).</summary>
    public string SecretKey { get; init; } = "";

    /// <summary><c>prefix</c>: key prefix inside the bucket. Default <c>objects/</c>.</summary>
    public string Prefix { get; init; } = "objects/";

    /// <summary>
    /// <c>parallelism</c>: how many objects a master uploads (a deploy) or fetches (following) at
    /// once; each is one request mostly waiting on the store (a deploy sends twice as many objects
    /// under 1 MiB at once, except at 1: <see cref="Sharing.ClusterUpload.SmallParallelism"/>). A master catching up also follows up
    /// to 4 saltenvs at once, never more than this (1: one saltenv, one object at a time). Default 8, 1 to 64.
    /// </summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>The default of <see cref="Parallelism"/>.</summary>
    public const int DefaultParallelism = 8;

    /// <summary>The most <see cref="Parallelism"/> may be.</summary>
    public const int MaxParallelism = 64;

    /// <summary>Every problem, each naming its key under <c>cluster.objects</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Endpoint is { } endpoint && endpoint.Scheme is not ("http" or "https"))
        {
            errors.Add($"cluster.objects.endpoint: '{endpoint}' is not an http(s) URL");
        }

        // S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens.
        if (Bucket.Length is < 3 or > 63 || !Bucket.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
        {
            errors.Add($"cluster.objects.bucket: '{Bucket}' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        }

        if (Parallelism is < 1 or > MaxParallelism)
        {
            errors.Add($"cluster.objects.parallelism: {Parallelism} must be between 1 and {MaxParallelism}");
        }

        if (AccessKey.Length == 0)
        {
            errors.Add("cluster.objects.access_key: required");
        }

        if (SecretKey.Length == 0)
        {
            errors.Add("cluster.objects.secret_key: required (or secret_key_file)");
        }

        return errors;
    }
}
