using System.Globalization;
using System.Text.Json;
using Spiro.Core.Bundles;
using Spiro.Core.Names;

namespace Spiro.Core.Releases.Manifests;

/// <summary>Reads and writes the manifest format of docs/storage.md with the allocation-light JSON primitives (no reflection).</summary>
internal static class ManifestJson
{
    private const int FileMode = 292;
    private const int ExecutableMode = 365;
    private const int FlushBytes = 32 << 10;

    public static void Write(Stream stream, ReleaseManifest manifest)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteNumber("format", ReleaseManifest.Format);
        json.WriteString("release", manifest.Release);
        json.WriteString("saltenv", manifest.SaltEnv.ToString());
        json.WriteString("created", FormatCreated(manifest.Created));
        json.WriteString("how", manifest.How);
        json.WriteString("published_by", manifest.PublishedBy);
        json.WriteString("source_commit", manifest.SourceCommit);
        json.WriteString("top", manifest.Top.ToString().ToLowerInvariant());
        json.WriteString("promoted_from", manifest.PromotedFrom);
        json.WriteStartArray("entries");
        foreach (var entry in manifest.Entries)
        {
            json.WriteStartObject();
            json.WriteString("path", entry.Path);
            json.WriteString("kind", KindName(entry.Kind));
            json.WriteNumber("size", entry.Kind == EntryKind.File ? entry.Size : 0);
            json.WriteNumber("mode", entry.Kind != EntryKind.File || entry.Executable ? ExecutableMode : FileMode);
            json.WriteString("sha256", entry.Kind == EntryKind.File ? entry.Sha256 : null);
            json.WriteEndObject();
            if (json.BytesPending > FlushBytes)
            {
                // Utf8JsonWriter buffers everything until flushed: without this a 20,000-file manifest
                // grows its buffer to 4 MiB by doubling, on the large-object heap, every publish.
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The manifest as the text <see cref="Write"/> makes (what a cluster keeps for the masters that lack the file).</summary>
    public static string ToText(ReleaseManifest manifest)
    {
        using var buffer = new MemoryStream();
        Write(buffer, manifest);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static ReleaseManifest Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return FromDocument(document, path);
    }

    /// <summary>A manifest from its text; <paramref name="source"/> names it in errors.</summary>
    public static ReleaseManifest Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return FromDocument(document, source);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: not a release manifest ({e.Message})", e);
        }
    }

    private static ReleaseManifest FromDocument(JsonDocument document, string path)
    {
        var root = document.RootElement;
        var saltEnvText = root.GetProperty("saltenv").GetString();
        var saltEnv = SaltEnvName.TryParse(saltEnvText, out var error) ?? throw new InvalidDataException($"{path}: {error}");
        var entries = new List<ManifestEntry>();
        foreach (var item in root.GetProperty("entries").EnumerateArray())
        {
            entries.Add(new ManifestEntry(
                item.GetProperty("path").GetString()!,
                ParseKind(item.GetProperty("kind").GetString()),
                item.GetProperty("size").GetInt64(),
                (item.GetProperty("mode").GetInt32() & 0b001_001_001) != 0,
                item.GetProperty("sha256").GetString()));
        }

        return new ReleaseManifest(
            root.GetProperty("release").GetString()!,
            saltEnv,
            DateTimeOffset.Parse(root.GetProperty("created").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            OptionalString(root, "how") ?? "publish",
            OptionalString(root, "published_by") ?? "unknown",
            OptionalString(root, "source_commit"),
            Enum.TryParse<TopKind>(OptionalString(root, "top"), ignoreCase: true, out var top) ? top : TopKind.None,
            OptionalString(root, "promoted_from"),
            entries);
    }

    /// <summary>Only the saltenv, read from the head of the file (the writer puts it before the entries).</summary>
    public static SaltEnvName? ReadSaltEnv(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[Math.Min(4096, stream.Length)];
            stream.ReadExactly(buffer);
            var reader = new Utf8JsonReader(buffer, isFinalBlock: false, default);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("saltenv") && reader.Read())
                {
                    return SaltEnvName.TryParse(reader.GetString(), out _);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }

        return null;
    }

    public static string FormatCreated(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string KindName(EntryKind kind) => kind switch
    {
        EntryKind.File => "file",
        EntryKind.Directory => "dir",
        _ => "emptydir",
    };

    private static EntryKind ParseKind(string? kind) => kind switch
    {
        "file" => EntryKind.File,
        "dir" => EntryKind.Directory,
        "emptydir" => EntryKind.EmptyDirectory,
        _ => throw new InvalidDataException($"unknown manifest entry kind '{kind}'"),
    };

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
