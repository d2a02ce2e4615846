using System.Text.Json;

namespace Spiro.Cli.Doctor;

/// <summary>Prints the findings as aligned text (each fix under its finding) or as one JSON object.</summary>
internal static class DoctorReport
{
    public static void WriteText(TextWriter output, DoctorContext context, IReadOnlyList<DoctorFinding> findings)
    {
        output.WriteLine($"spiro doctor {context.Version}: {string.Join(" + ", context.Config.Files.DefaultIfEmpty(context.Config.MainFile))}");
        var width = findings.Max(finding => finding.Check.Length);
        foreach (var finding in findings)
        {
            output.WriteLine($"{Label(finding.Status),-5} {finding.Check.PadRight(width)}  {finding.Message}");
            if (finding.Fix is not null)
            {
                output.WriteLine($"{"",-5} {"".PadRight(width)}  fix: {finding.Fix}");
            }
        }

        var failed = findings.Count(f => f.Status == DoctorStatus.Fail);
        var warned = findings.Count(f => f.Status == DoctorStatus.Warn);
        output.WriteLine(failed == 0 ? $"no failures, {warned} warning(s)" : $"{failed} failure(s), {warned} warning(s)");
    }

    public static void WriteJson(Stream output, DoctorContext context, IReadOnlyList<DoctorFinding> findings)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("version", context.Version);
        writer.WriteString("config_dir", context.Config.Directory);
        writer.WriteStartArray("config_files");
        foreach (var file in context.Config.Files)
        {
            writer.WriteStringValue(file);
        }

        writer.WriteEndArray();
        writer.WriteString("data", context.DataDirectory);
        writer.WriteNumber("failed", findings.Count(f => f.Status == DoctorStatus.Fail));
        writer.WriteNumber("warnings", findings.Count(f => f.Status == DoctorStatus.Warn));
        writer.WriteStartArray("checks");
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("check", finding.Check);
            writer.WriteString("status", finding.Status.ToString().ToLowerInvariant());
            writer.WriteString("message", finding.Message);
            writer.WriteString("fix", finding.Fix);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warn => "warn",
        _ => "FAIL",
    };
}
