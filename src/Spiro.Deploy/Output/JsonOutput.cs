using System.Text;
using System.Text.Json;
using Spiro.Deploy.Cli;
using Spiro.Deploy.Results;
using Spiro.Protocol.Highstate;

namespace Spiro.Deploy.Output;

/// <summary>
/// Output for machines: one JSON object per line on stdout per event, then a closing
/// <c>spiro-deploy-result</c> object; client steps and progress go to stderr as plain lines.
/// </summary>
internal sealed class JsonOutput(ConsoleEnvironment console) : IDeployOutput
{
    /// <summary>Event name of the closing line.</summary>
    public const string ResultEvent = "spiro-deploy-result";

    private readonly HumanOutput human = new(console with { ErrorIsTerminal = false }, colour: false, verbose: false);

    public void Info(string message) => human.Info(message);

    public void Warning(string message) => human.Warning(message);

    public void Error(string message) => human.Error(message);

    public Task<T> TrackUploadAsync<T>(Func<Action<long>, Task<T>> upload) => human.TrackUploadAsync(upload);

    public void Event(ReceivedEvent received, MinionSummary? summary, bool duplicate) => WriteLine(writer =>
    {
        writer.WriteString("event", received.Name);
        if (received.Id is not null)
        {
            writer.WriteString("id", received.Id);
        }

        writer.WritePropertyName("data");
        if (received.Data is not null)
        {
            received.Data.WriteTo(writer);
        }
        else
        {
            writer.WriteStringValue(received.RawData);
        }

        if (summary is not null)
        {
            WriteSummary(writer, summary, duplicate);
        }
    });

    public void Finish(DeployTally tally, int exitCode) => WriteLine(writer =>
    {
        writer.WriteString("event", ResultEvent);
        writer.WriteNumber("exit_code", exitCode);
        WriteArray(writer, "failed", tally.FailedMinions);
        WriteArray(writer, "unreported", tally.Unreported);
        writer.WriteBoolean("tolerated", tally.Verdict.Tolerated.Count > 0);
        if (tally.PlanId is not null)
        {
            writer.WriteString("plan_id", tally.PlanId);
        }
        if (tally.ServerError is not null)
        {
            writer.WriteString("error", tally.ServerError);
        }
    });

    // The client's own reading of a highstate-update (Protocol's MinionSummarizer), beside the server's data.
    private static void WriteSummary(Utf8JsonWriter writer, MinionSummary summary, bool duplicate)
    {
        writer.WriteStartObject("summary");
        writer.WriteString("minion", summary.Minion);
        writer.WriteBoolean("failed", summary.IsFailure);
        writer.WriteBoolean("duplicate", duplicate);
        writer.WriteString("outcome", summary.Outcome.ToText());
        writer.WriteNumber("succeeded", summary.Ok + summary.Changed);
        writer.WriteNumber("changed", summary.Changed);
        writer.WriteNumber("failed_states", summary.Failed);
        writer.WriteNumber("would_change", summary.WouldChange);
        writer.WriteNumber("duration_ms", summary.DurationMs);
        if (summary.Retcode is { } retcode)
        {
            writer.WriteNumber("retcode", retcode);
        }

        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private void WriteLine(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        console.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        console.Out.Flush();
    }
}
