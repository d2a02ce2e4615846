using System.Text;
using System.Text.Json;
using Spiro.Core.Bundles;
using Spiro.Core.TopFiles;

namespace Spiro.Cli.Bundles;

/// <summary>Renders a <see cref="BundleCheckReport"/> as text lines or one JSON document.</summary>
internal static class BundleCheckOutput
{
    public static string Text(BundleCheckReport report)
    {
        if (report.Read is BundleReadResult.Rejected rejected)
        {
            return $"bundle for {report.SaltEnv} rejected: {rejected.Message}\n";
        }

        var accepted = (BundleReadResult.Accepted)report.Read;
        var text = new StringBuilder();
        text.Append($"bundle for {report.SaltEnv}: {(report.Valid ? "valid" : "invalid top file")}\n");
        text.Append($"  files:          {Count(accepted, EntryKind.File)} ({accepted.TotalBytes} bytes)\n");
        text.Append($"  directories:    {Count(accepted, EntryKind.Directory) + Count(accepted, EntryKind.EmptyDirectory)} ({Count(accepted, EntryKind.EmptyDirectory)} empty)\n");
        text.Append($"  source commit:  {Commit(accepted.GitCommit)}\n");
        text.Append(report.TopFile switch
        {
            TopFileResult.Kept kept => $"  top file:       {kept.FileName} (kept from the bundle)\n",
            TopFileResult.Generated generated => $"  top file:       {generated.FileName} (generated from {TopFileCompiler.SpirotopFileName}{(generated.FromJinja ? ", rendered by Salt with Jinja" : "")}):\n{Indent(generated.Content)}",
            TopFileResult.None none => $"  top file:       none ({none.Reason})\n",
            TopFileResult.Invalid invalid => $"  top file:       invalid: {invalid.File}:{invalid.Line}:{invalid.Column}: {invalid.Message}\n",
            _ => "",
        });
        return text.ToString();
    }

    public static string Json(BundleCheckReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("saltenv", report.SaltEnv.ToString());
            json.WriteBoolean("valid", report.Valid);
            if (report.Read is BundleReadResult.Rejected rejected)
            {
                json.WriteStartObject("rejection");
                json.WriteString("rule", rejected.Rule);
                json.WriteString("entry", rejected.Entry);
                json.WriteString("message", rejected.Message);
                json.WriteEndObject();
            }
            else if (report.Read is BundleReadResult.Accepted accepted)
            {
                json.WriteNumber("files", Count(accepted, EntryKind.File));
                json.WriteNumber("bytes", accepted.TotalBytes);
                json.WriteNumber("directories", Count(accepted, EntryKind.Directory) + Count(accepted, EntryKind.EmptyDirectory));
                json.WriteNumber("empty_directories", Count(accepted, EntryKind.EmptyDirectory));
                json.WriteString("git_commit", accepted.GitCommit);
                json.WritePropertyName("top_file");
                WriteTopFile(json, report.TopFile);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTopFile(Utf8JsonWriter json, TopFileResult? topFile)
    {
        json.WriteStartObject();
        switch (topFile)
        {
            case TopFileResult.Kept kept:
                json.WriteString("kind", "kept");
                json.WriteString("file", kept.FileName);
                break;
            case TopFileResult.Generated generated:
                json.WriteString("kind", "generated");
                json.WriteString("file", generated.FileName);
                json.WriteBoolean("from_jinja", generated.FromJinja);
                json.WriteString("content", generated.Content);
                break;
            case TopFileResult.None none:
                json.WriteString("kind", "none");
                json.WriteString("reason", none.Reason);
                break;
            case TopFileResult.Invalid invalid:
                json.WriteString("kind", "invalid");
                json.WriteString("file", invalid.File);
                json.WriteNumber("line", invalid.Line);
                json.WriteNumber("column", invalid.Column);
                json.WriteString("message", invalid.Message);
                break;
        }

        json.WriteEndObject();
    }

    private static int Count(BundleReadResult.Accepted accepted, EntryKind kind) => accepted.Entries.Count(e => e.Kind == kind);

    private static string Commit(string? gitCommit)
    {
        if (string.IsNullOrWhiteSpace(gitCommit))
        {
            return "none";
        }

        var lines = gitCommit.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? $"{lines[0]} ({lines[1]})" : lines[0];
    }

    private static string Indent(string content) =>
        string.Concat(content.Split('\n').Where(line => line.Length > 0).Select(line => $"    {line}\n"));
}
