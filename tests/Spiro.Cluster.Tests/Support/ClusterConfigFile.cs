using Spiro.Testing.Services;

namespace Spiro.Cluster.Tests.Support;

/// <summary>A <c>spiro serve</c> settings file whose <c>cluster:</c> section names the test PostgreSQL database and bucket.</summary>
internal static class ClusterConfigFile
{
    /// <summary>Writes <paramref name="fileName"/> (and the S3 secret beside it) into <paramref name="directory"/>; returns its path.</summary>
    /// <param name="extra">More lines: indented by two spaces they go under <c>cluster:</c>, unindented they are top-level settings.</param>
    /// <param name="objects">More lines under <c>cluster.objects:</c>, without indentation (one key a line).</param>
    public static string Write(ClusterServicesFixture services, string directory, string fileName, string database, string bucket, string name, string extra = "", string objects = "")
    {
        var secret = Path.Combine(directory, "s3.secret");
        File.WriteAllText(secret, CephGateway.SecretKey + "\n");
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, $"""
            cluster:
              database: "{database}"
              objects:
                endpoint: {services.Ceph.Endpoint}
                bucket: {bucket}
                access_key: {CephGateway.AccessKey}
                secret_key_file: {secret}
            {string.Concat(objects.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "    " + line + "\n"))}
              name: {name}
            {extra}
            """);
        return path;
    }
}
