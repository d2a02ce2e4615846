using System.Globalization;
using System.Text.Json;
using Spiro.Core.Releases;

namespace Spiro.Cli.Releases;

/// <summary>The JSON shapes of the listing verbs (docs/cli.md): stable snake_case keys, one document per run.</summary>
internal static class ReleaseJson
{
    public static void WriteArray<T>(TextWriter output, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var item in items)
            {
                json.WriteStartObject();
                writeItem(json, item);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>One JSON object: the result of a changing verb (rollback, promote, delete).</summary>
    public static void WriteObject(TextWriter output, Action<Utf8JsonWriter> writeBody)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            writeBody(json);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    public static void Release(Utf8JsonWriter json, ReleaseInfo release)
    {
        json.WriteString("id", release.Id);
        json.WriteString("saltenv", release.SaltEnv.ToString());
        json.WriteString("created", Time(release.Created));
        json.WriteNumber("size", release.Size);
        json.WriteNumber("file_count", release.FileCount);
        json.WriteString("source_commit", release.SourceCommit);
        json.WriteString("published_by", release.PublishedBy);
        json.WriteString("how", release.How);
        json.WriteBoolean("live", release.Live);
    }

    public static void Deployment(Utf8JsonWriter json, DeploymentInfo deployment)
    {
        json.WriteString("saltenv", deployment.SaltEnv.ToString());
        json.WriteString("project", deployment.SaltEnv.Project);
        json.WriteString("deployment", deployment.SaltEnv.Deployment);
        json.WriteString("live_release", deployment.LiveRelease);
        json.WriteString("published_at", deployment.PublishedAt is { } at ? Time(at) : null);
        json.WriteString("published_by", deployment.PublishedBy);
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
