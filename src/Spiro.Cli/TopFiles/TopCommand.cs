using System.CommandLine;
using System.Text.Json;
using Spiro.Core.Highstate;
using Spiro.Core.Names;
using Spiro.Cli.Cluster;
using Spiro.Cli.Releases;
using Spiro.Cli.Salt;
using Spiro.Salt;

namespace Spiro.Cli.TopFiles;

/// <summary>
/// <c>spiro top check P/D</c>: renders the live top file of a saltenv on every minion, the same
/// check the render gate makes before a release with a Jinja top goes live (docs/security.md).
/// </summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var saltEnv = new Argument<string>("saltenv") { Description = "PROJECT/DEPLOYMENT" };
        var data = StoreCli.DataOption();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var saltCommand = SaltCli.CommandOption();
        var saltConfigDir = SaltCli.ConfigDirOption();
        var check = new Command(
            "check",
            "Render a saltenv's live top file on every minion; exit 1 if any minion fails to render it. "
            + "With --config, Salt and the data directory are that master's; in a cluster, a master that has not followed the cluster's release is refused (exit 1).")
        {
            saltEnv, data, json, saltCommand, saltConfigDir,
        };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (ConfigCli.Resolve(parse, parse.GetValue(data)!, out var exitCode) is not { } target)
            {
                return exitCode;
            }

            using var cluster = target.Cluster;
            var name = SaltEnvName.TryParse(parse.GetValue(saltEnv), out var problem);
            var salt = SaltCli.Options(parse, saltCommand, saltConfigDir, target.Settings);
            problem ??= salt.Validate();
            var live = name is null ? null : LiveRelease(target.Data, name);
            if (problem is null && name is not null && target.Behind(name, live) is { } behind)
            {
                await error.WriteLineAsync($"spiro top check: {behind}");
                return ExitCodes.Rejected;
            }

            problem ??= live is null ? $"{name} has no live release in {target.Data}" : null;
            if (problem is not null)
            {
                await error.WriteLineAsync($"spiro top check: {problem}");
                return ExitCodes.Usage;
            }

            var report = await new TopRender(new SaltCliClient(salt)).RenderAsync(name!.ToString(), name, cancellationToken);
            if (parse.GetValue(json) || report.Failure is null)
            {
                await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(json) ? Json(name, live!, report) : Text(name, live!, report));
            }

            if (report.Failure is not null)
            {
                await error.WriteLineAsync($"spiro top check: {report.Failure}");
                return ExitCodes.Failure;
            }

            return report.Errors.Count > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
        });
        return new Command("top", "Top files of published saltenvs.") { check };
    }

    // The symlink alone says what is live (docs/storage.md); no database or lock is needed.
    private static string? LiveRelease(string data, SaltEnvName name)
    {
        var link = new FileInfo(Path.Combine(data, "envs", name.Project, name.Deployment));
        return link.LinkTarget is { } target ? Path.GetFileName(target) : null;
    }

    private static string Text(SaltEnvName name, string live, TopRenderReport report)
    {
        var text = new System.Text.StringBuilder($"top file of {name} (release {live}): ");
        text.Append(report.Errors.Count == 0 ? $"renders on all {report.Answered.Count} minions\n" : $"fails to render on {report.Errors.Count} of {report.Answered.Count} minions\n");
        foreach (var minion in report.Answered)
        {
            text.Append("  ").Append(minion).Append(": ").Append(report.Errors.TryGetValue(minion, out var failed) ? "FAILED " + TopRender.OneLine(failed) : "ok").Append('\n');
        }

        return text.ToString();
    }

    private static string Json(SaltEnvName name, string live, TopRenderReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("saltenv", name.ToString());
            writer.WriteString("release", live);
            writer.WriteBoolean("ok", report.Errors.Count == 0 && report.Failure is null);
            writer.WriteStartArray("minions");
            foreach (var minion in report.Answered)
            {
                writer.WriteStartObject();
                writer.WriteString("minion", minion);
                writer.WriteBoolean("rendered", !report.Errors.ContainsKey(minion));
                writer.WriteString("error", report.Errors.GetValueOrDefault(minion));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("failure", report.Failure);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
