using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spiro.Core.Highstate;
using Spiro.Protocol.Highstate;
using Spiro.Protocol.Views;

namespace Spiro.Cli.Highstate;

/// <summary>Renders a <see cref="HighstateReport"/> for people or as JSON.</summary>
internal static class HighstateReportView
{
    public static string Json(HighstateReport report)
    {
        var json = new JsonObject { ["saltenv"] = report.SaltEnv.ToString() };
        if (report.ShowTop is ShowTopResult.Answered { Minions: var affected })
        {
            json["minions"] = Strings(affected.Minions);
            json["answered"] = Strings(affected.Answered);
            var errors = new JsonObject();
            foreach (var (minion, error) in affected.Errors)
            {
                errors[minion] = error;
            }

            json["errors"] = errors;
            json["salt_error"] = null;
        }
        else
        {
            json["minions"] = null;
            json["salt_error"] = ((ShowTopResult.Failed)report.ShowTop).Message;
        }

        json["release"] = report.LiveRelease;
        json["results"] = new JsonArray([.. report.Runs.Select(run => (JsonNode)new JsonObject
        {
            ["run_id"] = run.RunId,
            ["test"] = run.Test,
            ["finished_at"] = WireTime.Format(run.FinishedAt),
            ["minions"] = HighstateJson.Minions(run.Minions),
        })]);
        return json.ToJsonString();
    }

    public static string Text(HighstateReport report)
    {
        var text = new StringBuilder();
        switch (report.ShowTop)
        {
            case ShowTopResult.Answered { Minions: var affected }:
                text.Append(CultureInfo.InvariantCulture, $"{report.SaltEnv}: ")
                    .AppendLine(affected.Minions.Count == 0
                        ? $"no minion's top data lists it ({affected.Answered.Count} minion(s) answered)"
                        : $"a highstate would run on {affected.Minions.Count} minion(s): {string.Join(", ", affected.Minions)}");
                foreach (var (minion, error) in affected.Errors)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {minion}: no top data: {error.Trim().Split('\n')[^1]}");
                }

                break;
            case ShowTopResult.Failed failed:
                text.AppendLine(CultureInfo.InvariantCulture, $"{report.SaltEnv}: could not ask Salt: {failed.Message}");
                break;
        }

        if (report.LiveRelease is null)
        {
            return text.AppendLine("not published: no live release").ToString();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"live release {report.LiveRelease}: {(report.Runs.Count == 0 ? "no highstate results stored" : $"{report.Runs.Count} highstate run(s)")}");
        foreach (var run in report.Runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {run.FinishedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{(run.Test ? " (test=True)" : "")}");
            foreach (var minion in run.Minions)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {MinionSummaryText.Line(minion)}");
            }
        }

        return text.ToString();
    }

    private static JsonArray Strings(IEnumerable<string> items) => [.. items.Select(item => JsonValue.Create(item))];
}
