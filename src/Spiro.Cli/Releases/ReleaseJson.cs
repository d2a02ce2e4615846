using System.Text.Json;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Releases;

/// <summary>The JSON of the listing verbs (docs/cli.md): stable snake_case keys, one document per run.</summary>
internal static class ReleaseJson
{
    /// <summary>A resource view (Spiro.Protocol.Views), exactly as the v1 API sends it but indented.</summary>
    public static void Print<T>(TextWriter output, T view) => output.WriteLine(ViewJson.ToIndented(view));

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
}
